/**
 * Credential stores in a data grid shared by a cluster's nodes: the {@link io.github.awsdelegation.cache.grid.Grid}
 * operations an engine's module implements, and the store over them (near-cache, encryption, leases, fallback).
 */
package io.github.awsdelegation.cache.grid;
