# Bootstrap a group: a master, two replicas, three sentinels, then show what runs.
# Replay: ./rsc scripts/bootstrap.rsc      (or: source scripts/bootstrap.rsc inside a session)
create-master
scale slaves 2
scale sentinels 3
sentinel status
status
