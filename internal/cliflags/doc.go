// Package cliflags holds what the commands (cmd/s3db, cmd/ingest) share about reading their
// command lines with the standard flag package.
package cliflags
