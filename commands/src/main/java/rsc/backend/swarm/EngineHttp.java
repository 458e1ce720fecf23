package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import rsc.error.RscException;
import rsc.model.Names;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine's questions asked before (or without) a docker-java client: which API version to speak, and whether an
 * engine answers as an active swarm manager (the TLS fallback of {@link EngineProbe}); plain GETs of its JSON.
 */
final class EngineHttp {

    /** The newest Engine API this docker-java release knows. */
    static final RemoteApiVersion NEWEST_KNOWN = RemoteApiVersion.VERSION_1_44;

    /**
     * Made on the first TLS read only: {@link #chooseApi}, which every Swarm one-shot calls, must not pay for an
     * ObjectMapper (its date formats and locale data cost a cold JVM about 50 ms).
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private EngineHttp() {
    }

    /** The API version to use: the engine's newest, capped at the newest docker-java knows. */
    static RemoteApiVersion chooseApi(String engineApi) {
        RemoteApiVersion engine = RemoteApiVersion.parseConfig(engineApi);
        if (!engine.isGreaterOrEqual(RemoteApiVersion.VERSION_1_24)) {
            throw new RscException("the Docker Engine speaks API " + Names.printable(engineApi)
                    + "; rsc needs at least 1.24");
        }
        return engine.isGreater(NEWEST_KNOWN) ? NEWEST_KNOWN : engine;
    }

    /**
     * True when an engine answers at the host within {@code limit} and is an active swarm manager. Never throws.
     */
    static boolean probe(Optional<String> dockerHost, Duration limit) {
        String h = dockerHost.filter(s -> !s.isBlank()).orElse(SwarmGateway.DEFAULT_HOST);
        return EngineProbe.within(limit, () -> {
            try (DockerHttpClient c = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(h))
                    .connectionTimeout(limit).responseTimeout(limit).build()) {
                return EngineProbe.activeManager(rawGet(c, h, "/info"));
            }
        });
    }

    static JsonNode rawGet(DockerHttpClient client, String host, String path) {
        DockerHttpClient.Request req = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response r = client.execute(req); InputStream body = r.getBody()) {
            byte[] bytes = body.readAllBytes();
            if (r.getStatusCode() / 100 != 2) {
                throw new RscException("the Docker Engine answered " + path + " with " + r.getStatusCode() + ": "
                        + DockerErrors.oneLine(new String(bytes, StandardCharsets.UTF_8)));
            }
            return Mapper.JSON.readTree(bytes);
        } catch (RscException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RscException("cannot reach the Docker Engine at " + host + ": " + DockerErrors.reason(e), e);
        }
    }
}
