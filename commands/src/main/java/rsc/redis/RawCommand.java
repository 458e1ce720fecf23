package rsc.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A command as typed ({@code ACL SETUSER default >pw}), turned into what Lettuce's {@code dispatch} takes. */
final class RawCommand {

    private RawCommand() {
    }

    static ProtocolKeyword keyword(List<String> words) {
        byte[] bytes = words.get(0).getBytes(StandardCharsets.UTF_8);
        return new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String name() {
                return words.get(0);
            }
        };
    }

    static CommandArgs<String, String> args(List<String> words) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String w : words.subList(1, words.size())) {
            args.add(w);
        }
        return args;
    }
}
