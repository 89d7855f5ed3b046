package refresh_test

// Crash safety: a child process (this test binary, re-executed) refreshes
// from a loopback server and marks stories, printing a line after every
// committed change; the parent kills it with SIGKILL at random moments and
// checks, after every kill, that the file passes PRAGMA integrity_check and
// that every change the child reported as committed is there.
//
// Cycles: BYLINE_CRASH_CYCLES, else 20 (5 with -short).

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // integrity_check on the raw file, test only

	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
)

const crashFeeds = 4

// crashServer serves crashFeeds feeds whose items change on every request,
// so that every refresh inserts stories.
func crashServer(t *testing.T) *httptest.Server {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := n.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Crash %s</title>`, r.URL.Path)
		for i := k; i < k+5; i++ {
			fmt.Fprintf(w, `<item><guid>%s-%d</guid><title>Story %d</title><description>Body of story %d with some words to index.</description></item>`,
				r.URL.Path, i, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// childEnv names the variables the parent passes to a helper process.
const (
	envChild = "BYLINE_CRASH_CHILD" // "crash" or "writer"
	envDB    = "BYLINE_CRASH_DB"
	envURL   = "BYLINE_CRASH_URL"
)

func startChild(t *testing.T, mode, db, url string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envDB+"="+db, envURL+"="+url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return cmd, sc
}

// TestCrashChild is the helper process; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(envChild)
	if mode == "" {
		t.Skip("helper process for TestCrashLoop and TestTwoWriters")
	}
	ctx := context.Background()
	if mode == "readonly" {
		readOnlyChild(ctx, os.Getenv(envDB))
		os.Exit(0)
	}
	st, err := store.Open(ctx, os.Getenv(envDB))
	if err != nil {
		fmt.Println("error open:", err)
		os.Exit(3)
	}
	for i := 0; i < crashFeeds; i++ {
		_, err := st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/feed/%d", os.Getenv(envURL), i)})
		if err != nil && !errors.Is(err, store.ErrDuplicate) {
			fmt.Println("error add:", err)
			os.Exit(3)
		}
	}
	r := &refresh.Refresher{Store: st, Client: fetch.New(fetch.Options{Timeout: 5 * time.Second}), Workers: crashFeeds}
	fmt.Println("ready")
	if mode == "writer" {
		errs := writeLoad(ctx, st, r, 3*time.Second, rand.New(rand.NewPCG(uint64(os.Getpid()), 1)))
		for _, e := range errs {
			fmt.Println("error", e)
		}
		fmt.Println("done")
		os.Exit(0)
	}
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	for {
		feeds, err := st.Feeds(ctx)
		if err != nil {
			fmt.Println("error feeds:", err)
			os.Exit(4)
		}
		for _, res := range r.Refresh(ctx, feeds, nil) {
			if res.Err != nil {
				fmt.Println("error refresh:", res.Err)
				os.Exit(4)
			}
		}
		total, _, err := st.CountStories(ctx, store.Query{})
		if err != nil {
			fmt.Println("error count:", err)
			os.Exit(4)
		}
		fmt.Printf("committed stories %d\n", total)
		// A search indexes the new stories first: kills land in that too.
		if _, err := st.Stories(ctx, store.Query{Search: "story", Limit: 1}); err != nil {
			fmt.Println("error search:", err)
			os.Exit(4)
		}
		ss, err := st.Stories(ctx, store.Query{Limit: 300})
		if err != nil {
			fmt.Println("error stories:", err)
			os.Exit(4)
		}
		for k := 0; k < 20 && len(ss) > 0; k++ {
			id := ss[rng.IntN(len(ss))].ID
			on := rng.IntN(2) == 0
			kind := "read"
			if rng.IntN(2) == 0 {
				kind = "starred"
			}
			fmt.Printf("begin %d %s %v\n", id, kind, on)
			if kind == "starred" {
				err = st.SetStarred(ctx, []int64{id}, on)
			} else {
				err = st.SetRead(ctx, []int64{id}, on)
			}
			if err != nil {
				fmt.Println("error mark:", err)
				os.Exit(4)
			}
			fmt.Printf("committed %d %s %v\n", id, kind, on)
		}
	}
}

// markKey is one flag of one story.
type markKey struct {
	id   int64
	kind string // "read" or "starred"
}

func crashCycles() int {
	if v, err := strconv.Atoi(os.Getenv("BYLINE_CRASH_CYCLES")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return 5
	}
	return 20
}

func TestCrashLoop(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in the helper process")
	}
	cycles := crashCycles()
	srv := crashServer(t)
	db := filepath.Join(t.TempDir(), "byline.db")
	want := map[markKey]bool{}
	minStories := 0
	rng := rand.New(rand.NewPCG(1, 2))
	var killedReady, killedEarly, marks, checked int
	start := time.Now()
	for c := 0; c < cycles; c++ {
		cmd, sc := startChild(t, "crash", db, srv.URL)
		delay := time.Duration(rng.IntN(500)) * time.Millisecond
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		// Hang guard: the child never ends by itself.
		guard := time.AfterFunc(delay+30*time.Second, func() { cmd.Process.Kill() })
		pending := map[markKey]bool{} // begun, not yet reported committed
		ready := false
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 1 && f[0] == "ready":
				ready = true
			case len(f) == 3 && f[0] == "committed" && f[1] == "stories":
				n, _ := strconv.Atoi(f[2])
				minStories = max(minStories, n)
			case len(f) == 4 && (f[0] == "begin" || f[0] == "committed"):
				id, _ := strconv.ParseInt(f[1], 10, 64)
				k := markKey{id, f[2]}
				if f[0] == "begin" {
					pending[k] = f[3] == "true"
				} else {
					want[k] = f[3] == "true"
					delete(pending, k)
					marks++
				}
			case len(f) > 0 && f[0] == "error":
				t.Fatalf("cycle %d: child: %s", c, sc.Text())
			}
		}
		cmd.Wait()
		timer.Stop()
		guard.Stop()
		if ready {
			killedReady++
		} else {
			killedEarly++
		}
		checkIntegrity(t, c, db)
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatalf("cycle %d: open after kill: %v", c, err)
		}
		ctx := context.Background()
		total, _, err := st.CountStories(ctx, store.Query{})
		if err != nil || total < minStories {
			t.Fatalf("cycle %d: %d stories (err %v), child reported %d committed", c, total, err, minStories)
		}
		// Every story's title holds "Story": the index, caught up after
		// whatever the kill interrupted, must find every one.
		if found, _, err := st.CountStories(ctx, store.Query{Search: "story"}); err != nil || found != total {
			t.Fatalf("cycle %d: search finds %d of %d stories (err %v)", c, found, total, err)
		}
		all, err := st.Stories(ctx, store.Query{})
		if err != nil {
			t.Fatalf("cycle %d: stories: %v", c, err)
		}
		byID := make(map[int64]model.Story, len(all))
		for _, s := range all {
			byID[s.ID] = s
		}
		for k, v := range want {
			s, ok := byID[k.id]
			if !ok {
				t.Fatalf("cycle %d: story %d lost", c, k.id)
			}
			got := s.Read
			if k.kind == "starred" {
				got = s.Starred
			}
			if _, inFlight := pending[k]; inFlight {
				// Killed between commit and report, or before commit:
				// either value is right; the file's is the truth from now.
				want[k] = got
				continue
			}
			if got != v {
				t.Fatalf("cycle %d: story %d %s = %v, child reported %v committed", c, k.id, k.kind, got, v)
			}
			checked++
		}
		for k := range pending {
			if _, known := want[k]; !known {
				if s, ok := byID[k.id]; ok {
					want[k] = map[string]bool{"read": s.Read, "starred": s.Starred}[k.kind]
				}
			}
		}
		st.Close()
	}
	t.Logf("%d kill cycles in %s (%d after ready, %d during start-up/migration); %d committed marks, %d mark checks, %d stories at the end",
		cycles, time.Since(start).Round(time.Millisecond), killedReady, killedEarly, marks, checked, minStories)
}

// checkIntegrity runs PRAGMA integrity_check on the file with the driver
// directly.
func checkIntegrity(t *testing.T, cycle int, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`PRAGMA integrity_check`)
	if err != nil {
		t.Fatalf("cycle %d: integrity_check: %v", cycle, err)
	}
	defer rows.Close()
	var res []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		res = append(res, s)
	}
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("cycle %d: integrity_check: %q", cycle, res)
	}
}

// writeLoad marks stories and refreshes for d from 8 goroutines and returns
// every error seen.
func writeLoad(ctx context.Context, st *store.Store, r *refresh.Refresher, d time.Duration, rng *rand.Rand) []error {
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	ss, err := st.Stories(ctx, store.Query{})
	if err != nil || len(ss) == 0 {
		return []error{fmt.Errorf("no stories to mark: %v", err)}
	}
	ids := make([]int64, len(ss))
	for i, s := range ss {
		ids[i] = s.ID
	}
	seeds := make([]uint64, 8)
	for i := range seeds {
		seeds[i] = rng.Uint64()
	}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rg := rand.New(rand.NewPCG(seeds[g], uint64(g)))
			for time.Now().Before(deadline) {
				id := ids[rg.IntN(len(ids))]
				var err error
				switch g % 4 {
				case 0:
					err = st.SetRead(ctx, []int64{id}, rg.IntN(2) == 0)
				case 1:
					err = st.SetStarred(ctx, []int64{id}, rg.IntN(2) == 0)
				case 2:
					feeds, ferr := st.Feeds(ctx)
					if ferr != nil {
						err = ferr
						break
					}
					for _, res := range r.Refresh(ctx, feeds, nil) {
						if res.Err != nil {
							fail(res.Err)
						}
					}
				case 3:
					_, err = st.Stories(ctx, store.Query{Unread: true, Limit: 50})
					if err == nil {
						_, err = st.MarkAllRead(ctx, store.Query{FeedID: 1, Since: time.Now().Add(time.Hour)})
					}
				}
				if err != nil {
					fail(err)
				}
			}
		}(g)
	}
	wg.Wait()
	return errs
}

// TestTwoWriters: a second process and 8 goroutines write the same store at
// once; no "database is locked", no error at all.
func TestTwoWriters(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in the helper process")
	}
	ctx := context.Background()
	srv := crashServer(t)
	db := filepath.Join(t.TempDir(), "byline.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := 0; i < crashFeeds; i++ {
		if _, err := st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	r := &refresh.Refresher{Store: st, Client: fetch.New(fetch.Options{Timeout: 5 * time.Second}), Workers: crashFeeds}
	feeds, _ := st.Feeds(ctx)
	r.Refresh(ctx, feeds, nil)

	cmd, sc := startChild(t, "writer", db, srv.URL)
	guard := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer guard.Stop()
	var childOut []string
	done := make(chan struct{})
	go func() {
		for sc.Scan() {
			childOut = append(childOut, sc.Text())
		}
		close(done)
	}()
	errs := writeLoad(ctx, st, r, 3*time.Second, rand.New(rand.NewPCG(3, 4)))
	<-done
	if err := cmd.Wait(); err != nil {
		t.Errorf("writer process: %v", err)
	}
	for _, e := range errs {
		t.Errorf("this process: %v", e)
	}
	sawDone := false
	for _, l := range childOut {
		if strings.HasPrefix(l, "error") {
			t.Errorf("other process: %s", l)
		}
		sawDone = sawDone || l == "done"
	}
	if !sawDone {
		t.Errorf("writer process did not finish: %q", childOut)
	}
	checkIntegrity(t, 0, db)
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestNewerAndCorruptStore: a store from a newer byline, or a file that is
// not a byline store, is refused with a clear error and left byte for byte
// as it was.
func TestNewerAndCorruptStore(t *testing.T) {
	ctx := context.Background()
	newer := func(t *testing.T, path string) {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`PRAGMA user_version = 999`); err != nil {
			t.Fatal(err)
		}
		db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	cases := []struct {
		name    string
		make    func(t *testing.T, path string)
		wantErr error
		msg     string
	}{
		{"newer schema", newer, store.ErrNewerSchema, "newer"},
		{"text file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("this is not a database\n"), 0o600)
		}, store.ErrCorrupt, "corrupt"},
		{"damaged sqlite", func(t *testing.T, path string) {
			st, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			st.Close()
			b, _ := os.ReadFile(path)
			for i := 4096; i < len(b); i++ { // keep the header, wreck the pages
				b[i] = byte(i*31) ^ 0x5a
			}
			os.Remove(path + "-wal")
			os.Remove(path + "-shm")
			os.WriteFile(path, b, 0o600)
		}, store.ErrCorrupt, "corrupt"},
		{"other program's sqlite", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			db.Exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, secret TEXT)`)
			db.Close()
		}, store.ErrCorrupt, "not a byline database"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "byline.db")
			tc.make(t, path)
			before := fileSum(t, path)
			st, err := store.Open(ctx, path)
			if err == nil {
				st.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q, want %v mentioning %q", err, tc.wantErr, tc.msg)
			}
			if fileSum(t, path) != before {
				t.Error("the file changed")
			}
			for _, side := range []string{"-wal", "-journal"} {
				if fi, err := os.Stat(path + side); err == nil && fi.Size() > 0 {
					t.Errorf("%s written", side)
				}
			}
		})
	}
}

// TestReadOnlyStore: a store byline may not write (another user's, a
// read-only mount) gives a clear error on refresh and nothing is lost; its
// stories stay readable and searchable, whether only the file or its
// directory too is read-only. A read-only directory whose WAL still holds
// changes is refused rather than read stale. The refresh runs in a child
// process; as root, whom permissions do not stop, the child runs as nobody
// (uid 65534).
func TestReadOnlyStore(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in the helper process")
	}
	ctx := context.Background()
	srv := crashServer(t)
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "byline.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < crashFeeds; i++ {
		st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)})
	}
	r := &refresh.Refresher{Store: st, Client: fetch.New(fetch.Options{Timeout: 5 * time.Second})}
	feeds, _ := st.Feeds(ctx)
	r.Refresh(ctx, feeds, nil)
	before, _, err := st.CountStories(ctx, store.Query{})
	if err != nil || before == 0 {
		t.Fatalf("%d stories before, %v", before, err)
	}
	// A copy taken while the store is open, its last transaction still in
	// the WAL only: read without the WAL it would be silently stale.
	walDir := filepath.Join(base, "walcopy")
	if err := os.Mkdir(walDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, []int64{1}, true); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil || (suffix == "-wal" && len(b) == 0) {
			t.Fatalf("copy %s: %d bytes, %v", suffix, len(b), err)
		}
		if err := os.WriteFile(filepath.Join(walDir, "byline.db"+suffix), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	sum := fileSum(t, db)

	for _, mode := range []struct {
		name    string
		db      string
		dirPerm os.FileMode
		opens   bool
	}{
		// SQLite cannot make the WAL's files beside it: read immutable.
		{"file and directory read-only", db, 0o555, true},
		{"file read-only", db, 0o777, true},
		// The WAL holds changes the file lacks: refused, never read stale.
		{"directory read-only, WAL not yet applied", filepath.Join(walDir, "byline.db"), 0o555, false},
	} {
		t.Logf("%s:", mode.name)
		// Read-only for whoever runs the child.
		modeSum := fileSum(t, mode.db)
		os.Chmod(mode.db, 0o444)
		os.Chmod(filepath.Dir(mode.db), mode.dirPerm)
		text := runReadOnlyChild(t, base, mode.db, srv.URL)
		if !strings.Contains(text, "error:") {
			t.Fatalf("%s: no error reported: %q", mode.name, text)
		}
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "error:") && !regexpClear.MatchString(l) {
				t.Errorf("%s: unclear error %q: want it to say read-only or permission denied", mode.name, l)
			}
		}
		// Every story stays readable, and a search, which cannot index the
		// stories stored since the last one (none was made), runs on the
		// index as it is instead of failing.
		if mode.opens {
			if !strings.Contains(text, "read-only true\n") {
				t.Errorf("%s: the store does not say it is read-only: %q", mode.name, text)
			}
			if !strings.Contains(text, fmt.Sprintf("stories %d <nil>\n", before)) {
				t.Errorf("%s: want all %d stories read: %q", mode.name, before, text)
			}
			if !regexp.MustCompile(`(?m)^search \d+ <nil>$`).MatchString(text) {
				t.Errorf("%s: the search failed: %q", mode.name, text)
			}
		} else if !strings.Contains(text, "write-ahead log") || strings.Contains(text, "stories ") {
			t.Errorf("%s: want Open refused for the WAL it cannot apply: %q", mode.name, text)
		}
		if fileSum(t, mode.db) != modeSum {
			t.Errorf("%s: the store file changed", mode.name)
		}
		os.Chmod(filepath.Dir(mode.db), 0o755)
	}
	if fileSum(t, db) != sum {
		t.Error("the store file changed")
	}
	// Writable again: everything is still there.
	os.Chmod(dir, 0o755)
	os.Chmod(db, 0o644)
	checkIntegrity(t, 0, db)
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after, _, err := st.CountStories(ctx, store.Query{})
	if err != nil || after != before {
		t.Errorf("%d stories after, %d before (%v)", after, before, err)
	}
}

// runReadOnlyChild runs readOnlyChild on db in a child process (as nobody
// when this is root, whom permissions do not stop) and returns its output.
func runReadOnlyChild(t *testing.T, base, db, url string) string {
	t.Helper()
	t.Cleanup(func() { os.Chmod(filepath.Dir(db), 0o755); os.Chmod(db, 0o644) })
	exe := os.Args[0]
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		// nobody must reach the binary and the store: copy the binary to a
		// directory it may traverse.
		os.Chmod(filepath.Dir(base), 0o755)
		os.Chmod(base, 0o755)
		b, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		exe = filepath.Join(base, "child.test")
		if err := os.WriteFile(exe, b, 0o755); err != nil {
			t.Fatal(err)
		}
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=readonly", envDB+"="+db, envURL+"="+url, "HOME="+base, "GOCOVERDIR=")
	cmd.Dir = base
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	t.Logf("child (%s): %s", map[bool]string{true: "as nobody", false: "as this user"}[cred != nil], out)
	if cred != nil && errors.Is(err, syscall.EPERM) {
		t.Skipf("cannot run the child as nobody here: %v", err)
	}
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	return string(out)
}

var regexpClear = regexp.MustCompile(`(?i)read-?only|permission denied|unable to open|cannot open|not writable`)

// readOnlyChild opens the store and refreshes it, reporting each error on
// a line starting "error:"; it then reports how many stories it could read.
func readOnlyChild(ctx context.Context, path string) {
	st, err := store.Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	defer st.Close()
	fmt.Println("read-only", st.ReadOnly())
	r := &refresh.Refresher{Store: st, Client: fetch.New(fetch.Options{Timeout: 5 * time.Second})}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, res := range r.Refresh(ctx, feeds, nil) {
		if res.Err != nil {
			fmt.Println("error:", res.Err)
		}
	}
	n, _, err := st.CountStories(ctx, store.Query{})
	fmt.Println("stories", n, err)
	// The stories the refresh stored are not indexed yet, and cannot be
	// here: the search must still run, on the index as it is.
	found, _, err := st.CountStories(ctx, store.Query{Search: "story"})
	fmt.Println("search", found, err)
}
