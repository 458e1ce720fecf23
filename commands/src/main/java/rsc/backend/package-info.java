/**
 * Where nodes run. A backend only creates, removes, lists and kills nodes and says how to reach them;
 * Redis and Sentinel logic never knows which backend placed a node.
 */
package rsc.backend;
