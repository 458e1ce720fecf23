# A planned failover of the current group, with the sentinels' view before and after.
sentinel ckquorum
sentinel status
failover --timeout 30s
wait agreement --timeout 30s
sentinel status
