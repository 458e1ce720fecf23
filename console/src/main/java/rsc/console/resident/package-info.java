/**
 * The resident console: one warm JVM per user, working directory, environment and build that answers the launcher's
 * read-only one-shots ({@code ./rsc -c "sentinel status"}) over a Unix socket in a 0700 directory of its user, so an operator running rsc many times a
 * minute pays a JVM start once, not every time. The launcher ({@code ./rsc}) is its only client; see README,
 * "One-shots and the resident console".
 */
package rsc.console.resident;
