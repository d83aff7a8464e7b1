package consumers

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// Resources finds a resource by name; *store.Database is one.
type Resources interface {
	Resource(name string) (*store.Resource, error)
}

// Where an idempotency key came from (Result.KeySource).
const (
	KeyFromBody      = "txId"       // the body's "txId"
	KeyFromTransport = "message-id" // the transport's message id
	KeyNone          = "none"       // neither: the write is not protected against redelivery
)

// IdempotencyKey chooses the key that makes a message's write idempotent: the body's txId when set, else
// transportID, the id the transport gives every delivery of the same message: Watermill's message UUID,
// which package pipeline fills with the SQS MessageId (or the UUID its publisher sent), the AMQP
// message-id property (or Watermill's UUID header), or GoChannel's UUID. It returns the key and its
// source (KeyFromBody, KeyFromTransport, or KeyNone when both are empty).
func IdempotencyKey(m Message, transportID string) (key, source string) {
	switch {
	case m.TxID != "":
		return m.TxID, KeyFromBody
	case transportID != "":
		return transportID, KeyFromTransport
	default:
		return "", KeyNone
	}
}

// Result is what applying a message did.
type Result struct {
	Message Message
	// Change is the write's change event. With Duplicate set it is the change of the earlier delivery
	// when the store could rebuild it (ID set), or only Resource, Op and Key (ID empty): publish a
	// change only when Change.ID is set.
	Change store.Change
	// Duplicate: the write had already been applied (a redelivery), nothing was written now.
	Duplicate bool
	// Key and KeySource are the idempotency key used and where it came from.
	Key, KeySource string
}

// Publish reports whether the result's change should be published (a change event exists for it).
func (r Result) Publish() bool { return r.Change.ID != "" }

// Consumer applies inbound messages to a database. It is safe for concurrent use; messages about one
// record must be applied in their order by the caller (package pipeline orders them by OrderingKey).
type Consumer struct {
	resources Resources
	log       *slog.Logger
}

// New returns a Consumer writing to resources. A nil logger discards.
func New(resources Resources, logger *slog.Logger) *Consumer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Consumer{resources: resources, log: logger}
}

// Handle parses a message body and applies it (see Apply), with the idempotency key chosen by
// IdempotencyKey from the body and transportID.
func (c *Consumer) Handle(ctx context.Context, raw []byte, transportID string) (Result, error) {
	m, err := Parse(raw)
	if err != nil {
		return Result{}, err
	}
	key, source := IdempotencyKey(m, transportID)
	return c.Apply(ctx, m, key, source)
}

// Apply performs m's write with store.TxID(key) (none when key is ""). A redelivered message (same key)
// returns a Result with Duplicate set and no error. Errors are classified (see Classify): errors.Is(err,
// ErrPermanent) tells the ones to dead-letter at once.
func (c *Consumer) Apply(ctx context.Context, m Message, key, source string) (Result, error) {
	res := Result{Message: m, Key: key, KeySource: source}
	switch m.Action {
	case ActionAdd, ActionSub, ActionSet:
		return res, permanent("counter action", fmt.Errorf("%s on %s: %w", m.Action, m.Resource, ErrCounterActions))
	}
	r, err := c.resources.Resource(m.Resource)
	if err != nil {
		return res, Classify(err)
	}
	var opts []store.WriteOption
	if key != "" {
		opts = append(opts, store.TxID(key))
	} else {
		c.log.WarnContext(ctx, "message without an idempotency key: a redelivery may apply it twice",
			"resource", m.Resource, "action", m.Action)
	}
	id := m.ID()
	var ch store.Change
	switch m.Action {
	case ActionInsert:
		ch, err = r.Insert(ctx, withID(m.Data, c.insertID(r, id, key)), opts...)
	case ActionUpsert:
		ch, err = r.Upsert(ctx, withID(m.Data, c.insertID(r, id, key)), opts...)
	case ActionUpdate:
		if id == "" {
			return res, permanent("missing id", fmt.Errorf("update of %s needs data.id", m.Resource))
		}
		patch := make(map[string]any, len(m.Data))
		for k, v := range m.Data {
			if k != "id" {
				patch[k] = v
			}
		}
		ch, err = r.Update(ctx, id, patch, opts...)
	case ActionDelete:
		if id == "" {
			return res, permanent("missing id", fmt.Errorf("delete of %s needs data.id", m.Resource))
		}
		ch, err = r.Delete(ctx, id, opts...)
		if errors.Is(err, store.ErrNotFound) {
			// Without a key the store cannot tell a redelivery from a delete of a missing record; the
			// record is gone either way, which is what the message asked for.
			ch, err = store.Change{Resource: m.Resource, Op: "delete", Key: id, Duplicate: true}, nil
		}
	}
	if err != nil {
		return res, Classify(err)
	}
	res.Change, res.Duplicate = ch, ch.Duplicate
	return res, nil
}

// insertID is the id of a record inserted without one: derived from the idempotency key, so that a
// redelivery writes the same record (and is recognised as a duplicate) instead of a second one with a
// fresh random id. A resource with its own id generator keeps it (its ids may carry meaning).
func (c *Consumer) insertID(r *store.Resource, id, key string) string {
	def := r.Definition()
	if id != "" || key == "" || def.IDGenerator != nil {
		return id
	}
	return DerivedID(r.Name(), key, def.IDSize)
}

// DerivedID returns the id of a record inserted without one under idempotency key key: size characters
// of s3db's id alphabet (codec.IDAlphabet), taken from SHA-256 of resource and key, so the same message
// always makes the same id. size ≤ 0 means codec.DefaultIDSize.
func DerivedID(resource, key string, size int) string {
	if size <= 0 {
		size = codec.DefaultIDSize
	}
	out := make([]byte, 0, size)
	for block := 0; len(out) < size; block++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", resource, key, block))
		for _, b := range sum {
			if len(out) == size {
				break
			}
			out = append(out, codec.IDAlphabet[b&63])
		}
	}
	return string(out)
}

func withID(data map[string]any, id string) map[string]any {
	if id == "" {
		return data
	}
	if cur, ok := data["id"]; ok && cur != nil {
		return data
	}
	out := make(map[string]any, len(data)+1)
	for k, v := range data {
		out[k] = v
	}
	out["id"] = id
	return out
}
