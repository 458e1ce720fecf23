package rsc.model;

import rsc.error.UsageException;

import java.util.regex.Pattern;

/**
 * The rule for a Docker image reference ({@code [HOST[:PORT]/]PATH[:TAG][@DIGEST]}, Docker's own grammar), checked
 * where the image is given ({@code --image}, {@code RSC_IMAGE}), so {@code --image '$(id)'} or {@code --image ''} is a
 * usage error before any Docker call, not a Docker Engine error later.
 */
public final class ImageName {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REFERENCE = Pattern.compile("^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)*"
            + "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?" + COMPONENT + "(?:/" + COMPONENT + ")*"
            + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$");

    private ImageName() {
    }

    /** Returns the reference, or throws a one-line usage error naming {@code label}. */
    public static String check(String image, String label) {
        if (image == null || image.length() > 255 || !REFERENCE.matcher(image).matches()) {
            throw new UsageException(label + " '" + Names.printable(image) + "' is not a Docker image reference "
                    + "(like redis:7-alpine or registry.example:5000/team/redis:7.0)");
        }
        return image;
    }
}
