# Remove the current group and everything it ran.
destroy --yes
