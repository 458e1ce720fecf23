# Incident triage for the current group: who is master, who agrees, what just happened, what is wrong.
# Stops (exit 1) at the first failed expectation, with file and line.
status
sentinel status
events --since 10m
doctor
expect quorum ok
