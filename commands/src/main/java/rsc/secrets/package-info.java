/** Group passwords: where they come from, where the console keeps them, and how they are checked. */
package rsc.secrets;
