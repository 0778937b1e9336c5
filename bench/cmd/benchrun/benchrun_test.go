package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckSink(t *testing.T) {
	ok := StreamStats{Received: 10, LastSeq: 9}
	tests := []struct {
		name     string
		r        SinkReport
		want     uint64
		wantLost uint64
		wantErr  string
	}{
		{"complete", SinkReport{Received: 10, Streams: map[string]StreamStats{"s": ok}}, 10, 0, ""},
		{"short", SinkReport{Received: 7, Streams: map[string]StreamStats{"s": {Received: 7, LastSeq: 6}}}, 10, 3, ""},
		{"gap counted by the sink", SinkReport{Received: 10, Streams: map[string]StreamStats{"s": {Received: 8, Lost: 2, Gaps: 1}}}, 10, 2, ""},
		{"no stream", SinkReport{}, 5, 5, ""},
		{"dups", SinkReport{Streams: map[string]StreamStats{"s": {Received: 10, Dups: 1}}}, 10, 0, "dups 1"},
		{"reorders", SinkReport{Streams: map[string]StreamStats{"s": {Received: 10, Reorders: 2}}}, 10, 0, "reorders 2"},
		{"bad content", SinkReport{Streams: map[string]StreamStats{"s": {Received: 10, BadContent: 1}}}, 10, 0, "bad_content 1"},
		{"other streams", SinkReport{OtherStreams: 1, Streams: map[string]StreamStats{"s": ok}}, 10, 0, "other_streams 1"},
		{"too many", SinkReport{Streams: map[string]StreamStats{"s": {Received: 11}}}, 10, 0, "more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lost, err := CheckSink(tc.r, "s", tc.want)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || lost != tc.wantLost {
				t.Fatalf("CheckSink = %d, %v; want %d, nil", lost, err, tc.wantLost)
			}
		})
	}
}

func TestResultJSONOmitsWhatDoesNotApply(t *testing.T) {
	r := Result{Scenario: "x", MsgsPerS: f64(12), Lost: u64(0)}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"scenario":"x","msgs_per_s":12,"lost":0}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestScenarioOfAndVerdict(t *testing.T) {
	tests := []struct {
		row, scenario, verdict string
		r                      Result
	}{
		{"native_1sink", "native_1sink", "met", Result{MsgsPerS: f64(2e6), Ratio: f64(0.6)}},
		{"native_1sink", "native_1sink", "MISSED", Result{MsgsPerS: f64(2e6), Ratio: f64(0.4)}},
		{"native_1sink", "native_1sink", "met", Result{MsgsPerS: f64(2e6)}},
		{"rss_flood_4x", "rss_flood", "met", Result{RSSkB: u64(10), Ratio: f64(1.01)}},
		{"rss_flood_1x", "rss_flood", "-", Result{RSSkB: u64(10)}},
		{"startup", "startup", "MISSED", Result{P50us: f64(60000)}},
		{"direct_call", "direct_call", "-", Result{MsgsPerS: f64(1)}},
		{"native_4sinks", "native_4sinks", "ERROR", Result{Error: "boom"}},
	}
	for _, tc := range tests {
		s := scenarioOf(tc.row)
		if s == nil || s.Name != tc.scenario {
			t.Fatalf("scenarioOf(%q) = %v, want %s", tc.row, s, tc.scenario)
		}
		tc.r.Scenario = tc.row
		if got := verdict(tc.r); got != tc.verdict {
			t.Errorf("verdict(%+v) = %s, want %s", tc.r, got, tc.verdict)
		}
	}
	if s := scenarioOf("nope"); s != nil {
		t.Fatalf("scenarioOf(nope) = %v", s.Name)
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "1234567": "1,234,567", "-1000": "-1,000"} {
		if got := group(in); got != want {
			t.Errorf("group(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWatchFileSeesAtomicRename(t *testing.T) {
	dir := t.TempDir()
	w, err := WatchFile(dir, "report.json")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// other files first, then the report renamed into place (as the modules do)
	if err := os.WriteFile(filepath.Join(dir, "other.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "report.json.tmp.1.0")
	if err := os.WriteFile(tmp, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if err := os.Rename(tmp, filepath.Join(dir, "report.json")); err != nil {
		t.Fatal(err)
	}
	at, err := w.Wait(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if at.Before(before) {
		t.Fatalf("event time %v before the rename at %v", at, before)
	}
}

func TestWatchFileTimesOut(t *testing.T) {
	w, err := WatchFile(t.TempDir(), "never.json")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Wait(50 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "did not appear") {
		t.Fatalf("err = %v, want a timeout", err)
	}
}
