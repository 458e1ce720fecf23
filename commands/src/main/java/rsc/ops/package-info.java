/** Redis and Sentinel operations on a group: what commands do, independent of the backend that placed the nodes. */
package rsc.ops;
