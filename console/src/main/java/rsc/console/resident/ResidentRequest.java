package rsc.console.resident;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the launcher sends, as NUL-terminated fields (bash's {@code printf '%s\0'} writes them): the protocol name,
 * the token from the endpoint file, the key (working directory, build and rsc's environment, which must be the
 * resident console's own), a verb ({@code run}, {@code status} or {@code stop}), the argument count and the
 * arguments.
 */
public record ResidentRequest(String token, String key, String verb, List<String> args) {

    public static final String PROTOCOL = "rsc-resident-1";

    /** Requests larger than this are refused unread: no launcher sends a megabyte of arguments. */
    static final int MAX_BYTES = 1 << 20;

    public ResidentRequest {
        args = List.copyOf(args);
    }

    /** Reads one request; an {@link IOException} for anything that is not one. */
    public static ResidentRequest read(InputStream in) throws IOException {
        int[] budget = {MAX_BYTES};
        if (!PROTOCOL.equals(field(in, budget))) {
            throw new IOException("not an rsc launcher");
        }
        String token = field(in, budget);
        String key = field(in, budget);
        String verb = field(in, budget);
        int count;
        try {
            count = Integer.parseInt(field(in, budget));
        } catch (NumberFormatException e) {
            throw new IOException("bad argument count");
        }
        if (count < 0 || count > 10_000) {
            throw new IOException("bad argument count");
        }
        List<String> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            args.add(field(in, budget));
        }
        return new ResidentRequest(token, key, verb, args);
    }

    private static String field(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("request cut short");
            }
            if (--budget[0] < 0) {
                throw new IOException("request too large");
            }
            if (c == 0) {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }
}
