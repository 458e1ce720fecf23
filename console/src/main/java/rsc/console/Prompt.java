package rsc.console;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import rsc.model.Topology;

/**
 * The prompt: {@code rsc BACKEND GROUP [MASTER]> }, the master coloured by the group's health, read from the
 * cached topology so drawing it never waits.
 *
 * @param backend  the backend's name (the configured one until the backend is open)
 * @param group    the current group, or null when there is none
 * @param master   the group's master address, null while unknown
 * @param health   the group's health
 * @param passthrough what the {@code redis} passthrough to the master holds, as redis-cli shows it ({@code [1]},
 *                 {@code (TX)}), or empty
 */
public record Prompt(String backend, String group, String master, Topology.Health health, String passthrough) {

    public Prompt(String backend, String group, String master, Topology.Health health) {
        this(backend, group, master, health, "");
    }

    /** The prompt for the current state. */
    public static Prompt of(String configuredBackend, boolean backendOpen, Topology snapshot, String group) {
        return of(configuredBackend, backendOpen, snapshot, group, java.util.Optional.empty());
    }

    /** The prompt for the current state, with the passthrough's database and transaction after the master. */
    public static Prompt of(String configuredBackend, boolean backendOpen, Topology snapshot, String group,
                            java.util.Optional<String> passthrough) {
        String backend = backendOpen && snapshot != null ? snapshot.backend() : configuredBackend;
        String master = snapshot == null || group == null ? null : snapshot.master(group).map(Object::toString).orElse(null);
        Topology.Health health = snapshot == null || group == null ? Topology.Health.UNKNOWN : snapshot.health(group);
        return new Prompt(backend, group, master, health, passthrough.orElse(""));
    }

    /** The prompt as JLine's {@code readLine} takes it: ANSI, with {@code %} escaped from prompt expansion. */
    public String ansi() {
        return render().toAnsi().replace("%", "%%");
    }

    public AttributedString render() {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(AttributedStyle.BOLD, "rsc").append(' ').append(backend);
        if (group == null) {
            return b.append("> ").toAttributedString();     // no group yet, or none chosen among several
        }
        b.append(' ').styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN), group);
        if (master != null) {
            b.append(' ').styled(style(health), master);
        } else if (health == Topology.Health.DOWN) {
            b.append(' ').styled(style(health), "down");
        }
        if (!passthrough.isEmpty()) {
            b.styled(AttributedStyle.BOLD, passthrough);
        }
        return b.append("> ").toAttributedString();
    }

    private static AttributedStyle style(Topology.Health health) {
        return switch (health) {
            case OK -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case DEGRADED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case DOWN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case UNKNOWN -> AttributedStyle.DEFAULT;
        };
    }
}
