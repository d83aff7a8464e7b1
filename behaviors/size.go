package behaviors

import (
	"github.com/s3db-go/s3db/codec"
)

const (
	// DefaultLimit is s3db.js's metadata budget (S3_METADATA_LIMIT_BYTES). S3 itself allows one
	// byte more (2048) for names plus values, counted after encoding.
	DefaultLimit = 2047
	// R2Limit is the budget s3db.js uses for Cloudflare R2 endpoints.
	R2Limit = 8191

	overflowFlag  = "$overflow"
	truncatedFlag = "$truncated"
	flagValue     = "true"
	overflowBytes = len(overflowFlag) + len(flagValue)  // 13
	truncBytes    = len(truncatedFlag) + len(flagValue) // 14
)

// Config carries what the split depends on besides the record.
type Config struct {
	// Version is the resource version ("v1"); it is part of the overhead s3db.js reserves.
	Version string
	// Timestamps reserves room for createdAt/updatedAt as s3db.js does (66 bytes).
	Timestamps bool
	// Limit is the metadata budget; 0 means DefaultLimit.
	Limit int
	// ID, on updates, is counted in the overhead by the behaviors whose s3db.js update does so
	// (enforce-limits, user-managed).
	ID string
	// MapJSON is the attribute→key map that body-only records carry in _map.
	MapJSON string
}

func (c Config) limit() int {
	if c.Limit <= 0 {
		return DefaultLimit
	}
	return c.Limit
}

// effectiveLimit is the budget left after s3db.js's system overhead: _v, the two 24-character
// ISO timestamps when enabled, and the id when given.
func (c Config) effectiveLimit(withID bool) int {
	version := c.Version
	if version == "" {
		version = "v1"
	}
	overhead := len("_v") + len(version)
	if c.Timestamps {
		overhead += 2 * (len("createdAt") + len("2024-01-01T00:00:00.000Z"))
	}
	if withID && c.ID != "" {
		overhead += len("id") + len(c.ID)
	}
	return c.limit() - overhead
}

// ValueSize is s3db.js's size of a mapped value: UTF-8 bytes before metadata text encoding, with
// nil as 0, booleans as 1, numbers as their JavaScript text.
func ValueSize(v any) int { return codec.ByteSize(v) }

// TotalSize is the sum of name and value sizes, s3db.js's calculateTotalSize.
func TotalSize(rec codec.Ordered) int {
	n := 0
	for _, m := range rec {
		n += len(m.Name) + ValueSize(m.Value)
	}
	return n
}
