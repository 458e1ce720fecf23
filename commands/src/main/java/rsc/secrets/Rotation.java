package rsc.secrets;

import rsc.model.Secret;

/**
 * A password rotation under way: the group's old password and the new one. Kept (0600) from the rotation's first
 * step to its last, so a run that was interrupted is finished by the next one with the same two passwords: the new
 * one to add, the old one to remove.
 */
public record Rotation(Secret old, Secret next) {
}
