package rsc.catalog;

import rsc.error.CannotWrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file a command writes for other programs ({@code events --export}); any failure is one line saying why. */
final class ExportFile {

    private ExportFile() {
    }

    static void write(Path file, String text) {
        CannotWrite.checkPlace(file);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CannotWrite.because(file, e);
        }
    }
}
