package rsc.console.resident;

import org.junit.jupiter.api.Test;
import rsc.catalog.Catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resident console's request and answer formats, and which one-shots it takes. */
class ResidentWireUnitTests {

    private static ByteArrayInputStream wire(String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String f : fields) {
            b.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return new ByteArrayInputStream(b.toByteArray());
    }

    @Test
    void aRequestIsReadAsBashWritesIt() throws IOException {
        ResidentRequest r = ResidentRequest.read(wire("rsc-resident-1", "tok", "key\nwith lines", "run", "2", "-c", "status; sentinel status"));
        assertEquals("tok", r.token());
        assertEquals("key\nwith lines", r.key());
        assertEquals("run", r.verb());
        assertEquals(List.of("-c", "status; sentinel status"), r.args());
    }

    @Test
    void anythingElseIsRefusedUnrun() {
        assertThrows(IOException.class, () -> ResidentRequest.read(wire("GET / HTTP/1.1", "x")));
        assertThrows(IOException.class, () -> ResidentRequest.read(wire("rsc-resident-1", "tok", "key", "run", "3", "-c")));
        assertThrows(IOException.class, () -> ResidentRequest.read(wire("rsc-resident-1", "tok", "key", "run", "-1")));
        assertThrows(IOException.class, () -> ResidentRequest.read(wire("rsc-resident-1", "tok", "key", "run", "two")));
        byte[] huge = new byte[ResidentRequest.MAX_BYTES + 10];
        System.arraycopy("rsc-resident-1\0".getBytes(StandardCharsets.UTF_8), 0, huge, 0, 15);
        java.util.Arrays.fill(huge, 15, huge.length, (byte) 'a');
        IOException e = assertThrows(IOException.class, () -> ResidentRequest.read(new ByteArrayInputStream(huge)));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void linesOfBothStreamsBecomeTaggedFramesAndALastPieceKeepsItsMissingNewline() throws IOException {
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        Frames frames = new Frames(socket);
        try (PrintStream out = new PrintStream(frames.stream('o'), false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(frames.stream('e'), false, StandardCharsets.UTF_8)) {
            out.println("table line 1");
            err.println("error: one line");
            out.print("two\nlines\nand a tail ü");
            out.flush();
        }
        frames.line('x', "1");
        assertEquals("otable line 1\neerror: one line\notwo\nolines\nOand a tail ü\nx1\n", socket.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyLineIsAFrameToo() throws IOException {
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        OutputStream out = new Frames(socket).stream('o');
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertEquals("o\no\n", socket.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readsAndSessionCommandsAreTakenChangesAndScriptsAreNot() {
        ResidentPolicy policy = new ResidentPolicy(Catalog.table());
        assertTrue(policy.refusal(List.of("-c", "sentinel status")).isEmpty());
        assertTrue(policy.refusal(List.of("--group", "g", "--json", "-c", "use g; status; doctor; help scale")).isEmpty());
        assertTrue(policy.refusal(List.of("-c", "frobnicate")).isEmpty(), "a line that does not parse fails alike anywhere");
        assertTrue(policy.refusal(List.of("-c", "scale slaves --help")).isEmpty(), "help on a change changes nothing");
        assertEquals("'scale slaves' changes the topology", policy.refusal(List.of("-c", "status; scale slaves 3")).orElseThrow());
        assertEquals("'failover' changes the topology", policy.refusal(List.of("-c", "failover --dry-run")).orElseThrow());
        assertEquals("'source' runs a script", policy.refusal(List.of("-c", "source x.rsc")).orElseThrow());
        assertEquals("'attach' writes the attached groups' file",
                policy.refusal(List.of("-c", "attach g --sentinel 127.0.0.1:26379")).orElseThrow());
        assertEquals("'detach' writes the attached groups' file", policy.refusal(List.of("-c", "detach g")).orElseThrow());
        assertEquals("'events --export' writes a file", policy.refusal(List.of("-c", "events --export out.jsonl")).orElseThrow());
        assertTrue(policy.refusal(List.of("-c", "events --since 10m")).isEmpty());
        assertEquals("not a -c one-shot", policy.refusal(List.of("script.rsc")).orElseThrow());
        assertEquals("not a -c one-shot", policy.refusal(List.of()).orElseThrow());
    }
}
