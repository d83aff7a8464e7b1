package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store/objstore"
)

const (
	metadataKey = "s3db.json"
	// lockKey is s3db.js's metadata lock (format spec §2.6): Go and JS writers of s3db.json exclude
	// each other through it.
	lockKey = "plugin=s3db-core/locks/namespace=metadata/s3db-metadata.json"
	lockTTL = 30 * time.Second
)

// Options configure a Database.
type Options struct {
	// Passphrase encrypts secret attributes; "" means "secret", s3db.js's default (it reads only
	// security.passphrase).
	Passphrase string
	// FallbackPassphrases are tried, after Passphrase, when decrypting.
	FallbackPassphrases []string
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Now is the clock (timestamps, lock expiry); nil means time.Now.
	Now func() time.Time
	// OnChange, when set, receives a Change for every successful write, after the write is
	// durable. It runs on the writing goroutine; keep it quick (hand the change to a channel).
	OnChange func(Change)
	// AsyncPartitions writes partition references in the background, after the write returns
	// (s3db.js's asyncPartitions, its default): writes are faster, listings by partition lag behind
	// and a crash can leave a reference unwritten. Call Flush before exiting. Off by default: a
	// write returns when its references exist.
	AsyncPartitions bool
}

// Database is one bucket (and key prefix) holding s3db resources, sharing it with s3db.js.
// It is safe for concurrent use.
type Database struct {
	objs   objstore.Store
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	cipher *codec.Cipher
	holder string

	mu        sync.RWMutex
	resources map[string]*Resource
	repaired  bool

	background sync.WaitGroup // partition references being written (AsyncPartitions)
}

// Flush waits until the partition references written in the background (Options.AsyncPartitions)
// are done, or ctx ends.
func (db *Database) Flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		db.background.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Open connects to the database at a connection string (s3://, http(s)://… path style, file://)
// and loads s3db.json. An absent s3db.json is an empty database (it is written with the first
// resource). A corrupt one is a *CorruptMetadataError and nothing is written.
func Open(ctx context.Context, connString string, opts Options) (*Database, error) {
	objs, err := objstore.Open(ctx, connString)
	if err != nil {
		return nil, err
	}
	return New(ctx, objs, opts)
}

// New opens a database on an object store.
func New(ctx context.Context, objs objstore.Store, opts Options) (*Database, error) {
	if opts.Passphrase == "" {
		opts.Passphrase = codec.DefaultPassphrase
	}
	db := &Database{objs: objs, opts: opts, log: opts.Logger, now: opts.Now, resources: map[string]*Resource{}}
	if db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	if db.now == nil {
		db.now = time.Now
	}
	db.cipher = codec.NewCipher(opts.Passphrase, codec.CipherOptions{FallbackPassphrases: opts.FallbackPassphrases})
	host, _ := os.Hostname()
	if host == "" {
		host = randomHex(4)
	}
	db.holder = "holder-" + host
	if err := db.Reload(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Objects is the object store the database runs on.
func (db *Database) Objects() objstore.Store { return db.objs }

// Reload reads s3db.json again and recompiles every resource from it (to pick up definitions
// another process wrote).
func (db *Database) Reload(ctx context.Context) error {
	mf, _, err := db.readMeta(ctx)
	if err != nil {
		return err
	}
	resources := map[string]*Resource{}
	for _, name := range mf.resourceNames() {
		rm, _ := mf.resource(name)
		r, err := db.compile(rm)
		if err != nil {
			return fmt.Errorf("load resource %q from %s: %w", name, metadataKey, err)
		}
		resources[name] = r
	}
	db.mu.Lock()
	db.resources = resources
	db.mu.Unlock()
	return nil
}

// readMeta returns s3db.json (a blank one when absent) and its ETag ("" when absent).
func (db *Database) readMeta(ctx context.Context) (*metaFile, string, error) {
	obj, err := db.objs.Get(ctx, metadataKey)
	if objstore.IsNotFound(err) {
		return newMetaFile(db.now()), "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", metadataKey, err)
	}
	mf, repaired, err := parseMetaFile(metadataKey, obj.Body)
	if err != nil {
		return nil, "", err
	}
	if repaired {
		db.repaired = true
		db.log.Warn("s3db.json needed a textual repair to parse; it will be rewritten with the next resource change")
	}
	return mf, obj.ETag, nil
}

// Resources lists the resource names, sorted.
func (db *Database) Resources() []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]string, 0, len(db.resources))
	for n := range db.resources {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Resource returns a defined resource.
func (db *Database) Resource(name string) (*Resource, error) {
	db.mu.RLock()
	r, ok := db.resources[name]
	db.mu.RUnlock()
	if !ok {
		return nil, &UnknownResourceError{Name: name, Known: db.Resources()}
	}
	return r, nil
}

// CreateResource defines a resource, or changes its definition (a new version when the
// definition hash changes), and writes s3db.json under s3db.js's metadata lock with If-Match, so
// that concurrent writers (Go or JS) never lose each other's resources or registry indexes.
func (db *Database) CreateResource(ctx context.Context, def Definition) (*Resource, error) {
	if def.Name == "" {
		return nil, errors.New("create resource: the name is empty")
	}
	if _, err := schema.NewValidator(def.Normalized().Attributes, schema.ValidatorOptions{}); err != nil {
		return nil, fmt.Errorf("create resource %q: %w", def.Name, err)
	}
	if err := def.checkPartitions(); err != nil {
		return nil, err
	}
	var created *Resource
	err := db.withMetadataLock(ctx, func(mf *metaFile) (bool, error) {
		// Keys come from the registry as it is stored, compiled against the stored definition
		// (burned attributes dropped), then the new definition on top (§2.5).
		var stored, local *schema.Registry
		if rm, ok := mf.resource(def.Name); ok {
			stored = rm.Registry
			loaded, err := schema.New(rm.Def.Normalized().Attributes, schema.Options{Registry: stored, Now: db.now})
			if err != nil {
				return false, err
			}
			local = loaded.Registry()
			if h, _ := def.Hash(); h == rm.Hash && !loaded.RegistryChanged() && stored != nil {
				r, err := db.compile(rm)
				if r != nil {
					r.idGenerator = def.IDGenerator
				}
				created = r
				return false, err // same definition: nothing to write
			}
		}
		next, err := schema.New(def.Normalized().Attributes, schema.Options{Registry: local, Now: db.now})
		if err != nil {
			return false, err
		}
		reg := next.Registry()
		reg.Merge(stored)
		if _, err := mf.putResource(def, reg, db.now()); err != nil {
			return false, err
		}
		rm, _ := mf.resource(def.Name)
		created, err = db.compile(rm)
		if created != nil {
			created.idGenerator = def.IDGenerator
		}
		return true, err
	})
	if err != nil {
		return nil, fmt.Errorf("create resource %q: %w", def.Name, err)
	}
	db.mu.Lock()
	db.resources[def.Name] = created
	db.mu.Unlock()
	return created, nil
}

// withMetadataLock runs change on a fresh s3db.json while holding s3db.js's metadata lock, and
// writes the result (when change reports a change) with If-Match on the ETag it read, retrying
// the read-change-write when another writer got there first.
func (db *Database) withMetadataLock(ctx context.Context, change func(*metaFile) (bool, error)) error {
	unlock, err := db.lockMetadata(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	for attempt := 0; ; attempt++ {
		mf, etag, err := db.readMeta(ctx)
		if err != nil {
			return err
		}
		changed, err := change(mf)
		if err != nil || (!changed && !db.repaired) {
			return err
		}
		body, err := mf.marshal()
		if err != nil {
			return err
		}
		opts := objstore.PutOptions{ContentType: "application/json", IfMatch: etag, IfNoneMatch: etag == ""}
		_, err = db.objs.Put(ctx, metadataKey, body, opts)
		if err == nil {
			db.repaired = false
			return nil
		}
		if !objstore.IsRaceLost(err) && !objstore.IsNotFound(err) || attempt >= 5 {
			return fmt.Errorf("write %s: %w", metadataKey, err)
		}
	}
}

// lock is the body of s3db.js's metadata lock object.
type lock struct {
	LockID     string `json:"lockId"`
	HolderID   string `json:"holderId"`
	AcquiredAt int64  `json:"acquiredAt"`
	ExpiresAt  int64  `json:"expiresAt"`
	EntryTTL   int64  `json:"_expiresAt"`
}

// lockMetadata takes the metadata lock (create-only put; an expired lock is taken over with
// If-Match), retrying while another holder has it, and returns the release function, which deletes
// the lock only if it is still ours.
func (db *Database) lockMetadata(ctx context.Context) (func(), error) {
	delay := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		now := db.now().UnixMilli()
		l := lock{
			LockID:     fmt.Sprintf("lock-%s-%d-%s", db.holder, now, randomHex(4)),
			HolderID:   db.holder,
			AcquiredAt: now,
			ExpiresAt:  now + lockTTL.Milliseconds(),
			EntryTTL:   now + 3*lockTTL.Milliseconds(),
		}
		body, _ := json.Marshal(l)
		etag, err := db.objs.Put(ctx, lockKey, body, objstore.PutOptions{ContentType: "application/json", IfNoneMatch: true})
		if err == nil {
			return db.unlocker(etag), nil
		}
		if !objstore.IsRaceLost(err) {
			return nil, fmt.Errorf("take the metadata lock: %w", err)
		}
		if held, herr := db.objs.Get(ctx, lockKey); herr == nil {
			var cur lock
			if json.Unmarshal(held.Body, &cur) != nil || cur.ExpiresAt < now {
				etag, err := db.objs.Put(ctx, lockKey, body, objstore.PutOptions{ContentType: "application/json", IfMatch: held.ETag})
				if err == nil {
					db.log.Warn("took over an expired s3db.json lock", "holder", cur.HolderID)
					return db.unlocker(etag), nil
				}
			}
		}
		if attempt >= 50 {
			return nil, fmt.Errorf("%w (waited %d attempts; if no writer is running, delete %s)", ErrLocked, attempt, lockKey)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Second)
	}
}

func (db *Database) unlocker(etag string) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.objs.Delete(ctx, lockKey, objstore.DeleteOptions{IfMatch: etag}); err != nil && !objstore.IsNotFound(err) && !objstore.IsPreconditionFailed(err) {
			db.log.Warn("release the s3db.json lock", "err", err)
		}
	}
}
