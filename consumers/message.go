package consumers

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/s3db-go/s3db/codec"
)

// The actions of the inbound contract.
const (
	ActionInsert = "insert"
	ActionUpdate = "update"
	ActionUpsert = "upsert"
	ActionDelete = "delete"
	// ActionAdd, ActionSub and ActionSet are counter operations; they belong to the consistency package,
	// which does not exist yet, so they are rejected as permanent errors.
	ActionAdd = "add"
	ActionSub = "sub"
	ActionSet = "set"
)

// Message is one parsed inbound message.
type Message struct {
	Resource string
	Action   string
	// Data is the record (insert, upsert), the patch (update, a partial merge) or {"id": …} (delete).
	Data map[string]any
	// TxID is the body's "txId": the idempotency key chosen by the producer, "" when absent.
	TxID string
}

// body is the JSON shape of a message. txId may be a string or a number (producers differ).
type body struct {
	Resource string          `json:"resource"`
	Action   string          `json:"action"`
	Data     json.RawMessage `json:"data"`
	TxID     json.RawMessage `json:"txId"`
	Wrapped  json.RawMessage `json:"$body"`
}

// Parse decodes a message body. Any error is permanent (a *PermanentError): the same bytes can never
// parse on a later attempt. Numbers in Data keep their text (json.Number), so large integers survive.
func Parse(raw []byte) (Message, error) {
	var b body
	if err := decode(raw, &b); err != nil {
		return Message{}, permanent("bad JSON", err)
	}
	if len(b.Wrapped) > 0 && string(b.Wrapped) != "null" {
		inner := b.Wrapped
		// $body may also be a JSON string holding the message (SNS-style double encoding).
		var s string
		if json.Unmarshal(inner, &s) == nil {
			inner = []byte(s)
		}
		if err := decode(inner, &b); err != nil {
			return Message{}, permanent("bad JSON in $body", err)
		}
	}
	m := Message{Resource: b.Resource, Action: b.Action}
	if m.Resource == "" {
		return Message{}, permanent("missing resource", fmt.Errorf(`the message has no "resource"`))
	}
	switch m.Action {
	case ActionInsert, ActionUpdate, ActionUpsert, ActionDelete, ActionAdd, ActionSub, ActionSet:
	case "":
		return Message{}, permanent("missing action", fmt.Errorf(`the message has no "action" (want insert, update, upsert or delete)`))
	default:
		return Message{}, permanent("unknown action", fmt.Errorf("unknown action %q (want insert, update, upsert or delete)", m.Action))
	}
	if len(b.Data) > 0 && string(b.Data) != "null" {
		if err := decode(b.Data, &m.Data); err != nil {
			return Message{}, permanent("bad data", fmt.Errorf(`"data" must be a JSON object: %w`, err))
		}
	}
	if m.Data == nil {
		m.Data = map[string]any{}
	}
	if len(b.TxID) > 0 && string(b.TxID) != "null" {
		var v any
		if err := decode(b.TxID, &v); err != nil {
			return Message{}, permanent("bad txId", err)
		}
		switch t := v.(type) {
		case string:
			m.TxID = t
		case json.Number:
			m.TxID = t.String()
		default:
			return Message{}, permanent("bad txId", fmt.Errorf(`"txId" must be a string or a number, got %s`, b.TxID))
		}
	}
	return m, nil
}

func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// ID returns Data's "id" as text ("" when absent).
func (m Message) ID() string {
	switch v := m.Data["id"].(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		return codec.JSString(v)
	}
}

// OrderingKey is what messages that must be applied in order share: "resource/id", or "" when the
// message names no record (an insert with a generated id, or a body that does not parse), which
// orders with nothing.
func OrderingKey(raw []byte) string {
	m, err := Parse(raw)
	if err != nil {
		return ""
	}
	id := m.ID()
	if id == "" {
		return ""
	}
	return m.Resource + "/" + id
}
