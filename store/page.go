package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/s3db-go/s3db/store/objstore"
)

// Page is one page of records.
type Page struct {
	Items []Record
	// NextCursor continues the listing; "" on the last page. It has s3db.js's cursor form
	// (base64url of {"v":1,"prefix","token","pageSize"}), so a page started by either can be
	// continued by the other on the same S3 endpoint.
	NextCursor string
}

type cursor struct {
	V        int    `json:"v"`
	Prefix   string `json:"prefix"`
	Token    string `json:"token"`
	PageSize int    `json:"pageSize"`
}

// Page reads one page of records in key order: one listing request of size keys (1 to 1,000;
// 0 means 100, s3db.js's default) and the gets. Pass the previous page's NextCursor to continue.
func (r *Resource) Page(ctx context.Context, size int, cursorText string) (*Page, error) {
	if size <= 0 {
		size = 100
	}
	if size > objstore.MaxListKeys {
		return nil, fmt.Errorf("page %s: size %d is over the %d keys one listing returns", r.def.Name, size, objstore.MaxListKeys)
	}
	// s3db.js lists "resource=<name>/data" without the slash; the same prefix keeps its S3
	// continuation tokens valid here.
	prefix := "resource=" + r.def.Name + "/data"
	var token string
	if cursorText != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursorText)
		var c cursor
		if err == nil {
			err = json.Unmarshal(raw, &c)
		}
		if err != nil || c.V != 1 || c.Prefix != prefix {
			return nil, fmt.Errorf("page %s: the cursor is not one of this resource's (%q): start again without a cursor", r.def.Name, cursorText)
		}
		token = c.Token
	}
	page, err := r.db.objs.List(ctx, objstore.ListOptions{Prefix: prefix, ContinuationToken: token, MaxKeys: size})
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", r.def.Name, err)
	}
	var ids []string
	for _, k := range page.Keys {
		if id, ok := idOfKey(k.Key); ok {
			ids = append(ids, id)
		}
	}
	items, err := r.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := &Page{Items: items}
	if page.Truncated && page.NextToken != "" {
		b, _ := json.Marshal(cursor{V: 1, Prefix: prefix, Token: page.NextToken, PageSize: size})
		out.NextCursor = base64.RawURLEncoding.EncodeToString(b)
	}
	return out, nil
}
