/**
 * The Docker Swarm backend: one single-replica service per node ({@code G-redis-N}, {@code G-sentinel-N}) on an
 * attachable overlay network in dnsrr mode, each publishing its port in host mode. The engine is called only through
 * {@code SwarmGateway}: its reads as plain Engine API GETs ({@code PlainEngine}, {@code EngineJson}), its changes through
 * docker-java, built on first use ({@code DockerJava}, {@code EngineModels}, {@code SwarmLogs}, {@code DockerErrors});
 * the rest of rsc sees records. Node tasks run the POSIX {@code sh} entrypoints next to these
 * classes, which ask the sentinels who the master is before they start (restart safety).
 */
package rsc.backend.swarm;
