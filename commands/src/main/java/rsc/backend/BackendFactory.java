package rsc.backend;

import rsc.backend.Settings;

/** Opens the backend a session's settings ask for. */
@FunctionalInterface
public interface BackendFactory {
    Backend open(Settings settings);
}
