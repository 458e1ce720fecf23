package rsc.redis;

/** A simple-string reply ({@code +OK}, {@code +QUEUED}), which redis-cli shows unquoted, unlike a bulk string. */
public record RespStatus(String text) {

    @Override
    public String toString() {
        return text;
    }
}
