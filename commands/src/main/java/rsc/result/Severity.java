package rsc.result;

/** How a line should look and whether it counts as a failure. */
public enum Severity {
    OK, INFO, WARN, ERROR
}
