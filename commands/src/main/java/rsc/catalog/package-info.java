/** The command declarations, one small class per family, assembled into the table by {@link rsc.catalog.Catalog}. */
package rsc.catalog;
