package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.model.Frame;
import rsc.error.RscException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Service and task logs through docker-java, for {@link SwarmGateway}: a bounded read of a tail, or a follow on a
 * client without a response timeout that ends when the caller's thread is interrupted.
 */
final class SwarmLogs {

    private final String host;
    private final DockerClient docker;
    private final DockerClient streams;

    /** @param streams a client without a response timeout, for following */
    SwarmLogs(String host, DockerClient docker, DockerClient streams) {
        this.host = host;
        this.docker = docker;
        this.streams = streams;
    }

    /**
     * Reads a service's or task's log, line by line. With {@code follow} it blocks until the stream ends or the
     * calling thread is interrupted (which ends it quietly); otherwise it returns once the tail is read.
     */
    void read(String id, boolean isTask, Integer tail, boolean follow, Consumer<String> lines) {
        DockerClient client = follow ? streams : docker;
        LogSwarmObjectCmd cmd = (isTask ? client.logTaskCmd(id) : client.logServiceCmd(id))
                .withStdout(true).withStderr(true).withFollow(follow).withDetails(false);
        if (tail != null) {
            cmd = cmd.withTail(tail);
        }
        LineCollector collector = new LineCollector(lines);
        try {
            cmd.exec(collector);
            if (follow) {
                collector.awaitCompletion();
            } else if (!collector.awaitCompletion(SwarmGateway.RESPONSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new RscException("the Docker Engine did not send the log of " + id + " within "
                        + SwarmGateway.RESPONSE_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RscException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.translate(host, "read the log of " + id, e);
        } finally {
            try {
                collector.close();
            } catch (IOException | RuntimeException ignored) {
                // closing
            }
            collector.flush();
        }
        if (collector.failure != null && !Thread.currentThread().isInterrupted()) {
            throw DockerErrors.translate(host, "read the log of " + id, collector.failure);
        }
    }

    /** Turns log frames into lines. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private volatile RuntimeException failure;

        LineCollector(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    emit();
                } else {
                    partial.write(b);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (t instanceof RuntimeException r) {
                failure = r;
            } else {
                failure = new RuntimeException(t);
            }
            super.onError(t);
        }

        private void emit() {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.accept(line);
        }

        synchronized void flush() {
            if (partial.size() > 0) {
                emit();
            }
        }
    }
}
