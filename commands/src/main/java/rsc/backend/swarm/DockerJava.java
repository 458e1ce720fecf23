package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;

/**
 * docker-java's clients for {@link SwarmGateway}, built on the first change (or a read the plain GETs do not cover):
 * one for calls, one without a response timeout for streams (logs), one with the listing timeout; and the helpers that
 * call through them.
 */
record DockerJava(DockerHttpClient http, DockerHttpClient streamHttp, DockerHttpClient listingHttp, DockerClient docker,
                  DockerClient listings, EngineContainers containers, SwarmSecrets secrets, SwarmNetworks networks,
                  SwarmLogs logs) implements AutoCloseable {

    /** The clients for the engine at {@code host}, speaking the API version already chosen. */
    static DockerJava open(String host, RemoteApiVersion api) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withApiVersion(api).build();
        DockerHttpClient http = transport(host, config, SwarmGateway.RESPONSE_TIMEOUT);
        DockerHttpClient streamHttp = transport(host, config, null);
        DockerHttpClient listingHttp = transport(host, config, SwarmGateway.LISTING_TIMEOUT);
        DockerClient docker = DockerClientImpl.getInstance(config, http);
        DockerClient listings = DockerClientImpl.getInstance(config, listingHttp);
        DockerClient streams = DockerClientImpl.getInstance(config, streamHttp);
        return new DockerJava(http, streamHttp, listingHttp, docker, listings, new EngineContainers(host, docker),
                new SwarmSecrets(host, docker), new SwarmNetworks(host, docker), new SwarmLogs(host, docker, streams));
    }

    private static DockerHttpClient transport(String host, DefaultDockerClientConfig config, java.time.Duration response) {
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
                .sslConfig(config.getSSLConfig()).connectionTimeout(SwarmGateway.CONNECT_TIMEOUT);
        return (response == null ? b : b.responseTimeout(response)).build();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closeQuietly(http);
        closeQuietly(streamHttp);
        closeQuietly(listingHttp);
    }
}
