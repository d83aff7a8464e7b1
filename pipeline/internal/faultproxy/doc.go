// Package faultproxy is a TCP proxy for tests that can cut every connection through it at once: what a
// broker restart or a network failure looks like to a client, produced without touching the real
// (shared) server behind it.
package faultproxy
