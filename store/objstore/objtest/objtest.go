// Package objtest is the acceptance suite of objstore.Store: one set of behaviours that every backend
// must show, run against each of them (thanos objstore's AcceptanceTest, litestream's shared suite).
//
//	objtest.Run(t, func(t *testing.T) objstore.Store { return newEmptyStore(t) })
//
// Each subtest asks the constructor for a new, empty store (a fresh directory, a fresh bucket or a
// fresh prefix). Where backends legitimately differ, the suite says so in a comment and accepts both.
package objtest

import (
	"testing"

	"github.com/s3db-go/s3db/store/objstore"
)

// NewStore returns an empty store for one test; it registers its own cleanup with t.
type NewStore func(t *testing.T) objstore.Store

// Run runs every case of the suite as a subtest of t.
func Run(t *testing.T, newStore NewStore) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s objstore.Store)
	}{
		{"missing_key", testMissingKey},
		{"round_trip", testRoundTrip},
		{"empty_body", testEmptyBody},
		{"overwrite", testOverwrite},
		{"odd_keys", testOddKeys},
		{"invalid_keys", testInvalidKeys},
		{"parent_and_child_keys", testParentAndChildKeys},
		{"if_none_match", testIfNoneMatch},
		{"if_match", testIfMatch},
		{"if_match_missing_key", testIfMatchMissingKey},
		{"delete_if_match", testDeleteIfMatch},
		{"metadata_limit", testMetadataLimit},
		{"list_pagination", testListPagination},
		{"list_prefix_and_order", testListPrefixAndOrder},
		{"list_start_after", testListStartAfter},
		{"list_delimiter", testListDelimiter},
		{"delete_many", testDeleteMany},
		{"copy", testCopy},
		{"concurrent_increments", testConcurrentIncrements},
		{"context_cancelled", testContextCancelled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, newStore(t))
		})
	}
}
