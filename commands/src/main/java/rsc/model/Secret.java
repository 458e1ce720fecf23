package rsc.model;

/**
 * A password. Its {@code toString} never shows it, so it cannot leak into a log line, an error, a table or a
 * {@code --dry-run} plan by accident; only {@link #reveal()} gives the text, at the one place that sends it.
 */
public record Secret(String value) {

    public Secret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
    }

    public String reveal() {
        return value;
    }

    public char[] chars() {
        return value.toCharArray();
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
