/**
 * The session's timeline: what the sentinels publish and what the backend saw happen to nodes, merged and
 * de-duplicated, so an operator sees "what just happened" without leaving the console.
 */
package rsc.events;
