# Failover drill: kill the master, wait for the sentinels to switch, check the group serves again.
# On Swarm the killed task restarts and rejoins as a replica (restart-safe); locally it stays down.
sentinel status
kill master
wait switch-master --timeout 60s
wait master-up --timeout 30s
wait replicas 1 --timeout 60s
expect quorum ok
status
