package rsc.backend;

/** Where long work reports how far it got: one line that replaces the previous one. */
@FunctionalInterface
public interface Progress {

    Progress NONE = line -> { };

    void update(String line);
}
