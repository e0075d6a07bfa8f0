// Command gointerop is a Go net/rpc/jsonrpc client of a Keel server: it calls the counter
// example under its Go-style names (Counter.Inc, Counter.Get) and its Keel names (inc, get),
// many calls at once over one connection, then follows seed 004's time stream
// (TimeService.RequestTimeStream, TimeService.GetNextUpdate) to IsFinal. It uses only the
// standard library, builds with Go 1.19, prints what it does, and exits non-zero on the first
// answer that is not what Keel promises.
//
//	go run . -addr 127.0.0.1:7080      # against `keel-examples.jar time-server`
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
	"sort"
	"strings"
	"time"
)

// IncArgs, KeyArgs and Counter are the counter example's params and result. Keel's counter
// names its members in lower case, so the fields say so (Go would send "Key", "Delta").
type IncArgs struct {
	Key   string `json:"key"`
	Delta int64  `json:"delta"`
}

type KeyArgs struct {
	Key string `json:"key"`
}

type Counter struct {
	Key   string `json:"key"`
	Value int64  `json:"value"`
}

// TimeRequest and TimeResponse are seed 004's structs, unchanged: no tags, so the JSON member
// names are the field names.
type TimeRequest struct {
	UpdateInterval int
	Duration       int
}

type TimeResponse struct {
	Timestamp   int64
	TimeString  string
	SequenceNum int
	IsFinal     bool
}

// Empty is the params of TimeService.GetNextUpdate.
type Empty struct{}

const concurrentCalls = 50

func main() {
	addr := flag.String("addr", "127.0.0.1:7080", "the Keel server's host:port")
	key := flag.String("key", fmt.Sprintf("go-%d", time.Now().UnixNano()), "counter key to use")
	interval := flag.Int("interval", 1, "UpdateInterval of the time stream, in seconds")
	duration := flag.Int("duration", 2, "Duration of the time stream, in seconds (> 0)")
	flag.Parse()
	if *interval < 1 || *duration < 1 {
		fmt.Fprintln(os.Stderr, "FAIL: -interval and -duration must be at least 1")
		os.Exit(2)
	}
	if err := run(*addr, *key, *interval, *duration); err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("OK")
}

func run(addr, key string, interval, duration int) error {
	client, err := jsonrpc.Dial("tcp", addr)
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	defer client.Close()
	if err := counter(client, key); err != nil {
		return err
	}
	if err := concurrent(client, key+"-concurrent"); err != nil {
		return err
	}
	if err := errorAnswers(client, key); err != nil {
		return err
	}
	return timeStream(client, interval, duration)
}

// counter increments under both names and reads back.
func counter(client *rpc.Client, key string) error {
	for i := int64(1); i <= 3; i++ {
		var c Counter
		if err := client.Call("Counter.Inc", IncArgs{Key: key, Delta: 2}, &c); err != nil {
			return fmt.Errorf("Counter.Inc #%d: %w", i, err)
		}
		if c.Key != key || c.Value != 2*i {
			return fmt.Errorf("Counter.Inc #%d: got %+v, want value %d", i, c, 2*i)
		}
		fmt.Printf("Counter.Inc(%s, 2) = %d\n", key, c.Value)
	}
	var c Counter
	if err := client.Call("inc", IncArgs{Key: key, Delta: 1}, &c); err != nil {
		return fmt.Errorf("inc: %w", err)
	}
	if c.Value != 7 {
		return fmt.Errorf("inc: got %+v, want value 7", c)
	}
	for _, method := range []string{"Counter.Get", "get"} {
		var got Counter
		if err := client.Call(method, KeyArgs{Key: key}, &got); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		if got.Value != 7 {
			return fmt.Errorf("%s: got %+v, want value 7", method, got)
		}
		fmt.Printf("%s(%s) = %d\n", method, key, got.Value)
	}
	return nil
}

// concurrent sends many calls at once over the one connection; each must see its own value.
func concurrent(client *rpc.Client, key string) error {
	calls := make([]*rpc.Call, concurrentCalls)
	for i := range calls {
		calls[i] = client.Go("Counter.Inc", IncArgs{Key: key, Delta: 1}, new(Counter), nil)
	}
	values := make([]int, 0, concurrentCalls)
	for i, call := range calls {
		<-call.Done
		if call.Error != nil {
			return fmt.Errorf("concurrent Counter.Inc #%d: %w", i, call.Error)
		}
		values = append(values, int(call.Reply.(*Counter).Value))
	}
	sort.Ints(values)
	for i, v := range values {
		if v != i+1 {
			return fmt.Errorf("concurrent Counter.Inc: values %v, want 1..%d each once", values,
				concurrentCalls)
		}
	}
	fmt.Printf("%d concurrent Counter.Inc on one connection: values 1..%d, each once\n",
		concurrentCalls, concurrentCalls)
	return nil
}

// errorAnswers checks that errors arrive as strings and leave the connection usable.
func errorAnswers(client *rpc.Client, key string) error {
	if err := expectServerError(client.Call("Counter.Inc", IncArgs{Key: ""}, new(Counter)),
		"key"); err != nil {
		return fmt.Errorf("Counter.Inc with an empty key: %w", err)
	}
	if err := expectServerError(client.Call("Counter.Dec", KeyArgs{Key: key}, new(Counter)),
		"method not found"); err != nil {
		return fmt.Errorf("Counter.Dec: %w", err)
	}
	if err := expectServerError(client.Call("TimeService.GetNextUpdate", Empty{},
		new(TimeResponse)), "stream not initialized"); err != nil {
		return fmt.Errorf("GetNextUpdate before RequestTimeStream: %w", err)
	}
	if err := expectServerError(client.Call("TimeService.RequestTimeStream",
		TimeRequest{UpdateInterval: 0, Duration: 5}, new(TimeResponse)),
		"invalid request parameters"); err != nil {
		return fmt.Errorf("RequestTimeStream with UpdateInterval 0: %w", err)
	}
	var c Counter
	if err := client.Call("Counter.Get", KeyArgs{Key: key}, &c); err != nil || c.Value != 7 {
		return fmt.Errorf("Counter.Get after the errors: %+v, %v", c, err)
	}
	fmt.Println("errors are strings and the connection stays usable")
	return nil
}

func expectServerError(err error, want string) error {
	var se rpc.ServerError
	if !errors.As(err, &se) {
		return fmt.Errorf("got %v (%T), want an rpc.ServerError containing %q", err, err, want)
	}
	if !strings.Contains(string(se), want) {
		return fmt.Errorf("got error %q, want it to contain %q", string(se), want)
	}
	fmt.Printf("  error as expected: %s\n", string(se))
	return nil
}

// timeStream follows a stream to IsFinal as seed 004's client does.
func timeStream(client *rpc.Client, interval, duration int) error {
	var first TimeResponse
	if err := client.Call("TimeService.RequestTimeStream",
		TimeRequest{UpdateInterval: interval, Duration: duration}, &first); err != nil {
		return fmt.Errorf("RequestTimeStream: %w", err)
	}
	start := time.Now()
	if err := check(first, 0, duration, interval); err != nil {
		return err
	}
	last := first
	for !last.IsFinal {
		var next TimeResponse
		if err := client.Call("TimeService.GetNextUpdate", Empty{}, &next); err != nil {
			return fmt.Errorf("GetNextUpdate after #%d: %w", last.SequenceNum, err)
		}
		if err := check(next, last.SequenceNum+1, duration, interval); err != nil {
			return err
		}
		if next.Timestamp < last.Timestamp {
			return fmt.Errorf("update #%d: Timestamp %d before the previous %d", next.SequenceNum,
				next.Timestamp, last.Timestamp)
		}
		last = next
	}
	want := (duration + interval - 1) / interval
	if last.SequenceNum != want {
		return fmt.Errorf("final update is #%d, want #%d", last.SequenceNum, want)
	}
	elapsed := time.Since(start)
	paced := time.Duration(want*interval)*time.Second - 250*time.Millisecond
	if elapsed < paced {
		return fmt.Errorf("stream ended after %v, too soon for %d updates every %ds", elapsed,
			want, interval)
	}
	fmt.Printf("Stream completed after %v\n", elapsed.Round(time.Millisecond))
	return expectServerError(client.Call("TimeService.GetNextUpdate", Empty{},
		new(TimeResponse)), "stream not initialized")
}

func check(u TimeResponse, wantSeq, duration, interval int) error {
	if u.SequenceNum != wantSeq {
		return fmt.Errorf("update %+v: SequenceNum %d, want %d", u, u.SequenceNum, wantSeq)
	}
	wantFinal := wantSeq*interval >= duration
	if u.IsFinal != wantFinal {
		return fmt.Errorf("update %+v: IsFinal %v, want %v", u, u.IsFinal, wantFinal)
	}
	if u.Timestamp <= 0 || u.TimeString == "" {
		return fmt.Errorf("update %+v: no time", u)
	}
	final := ""
	if u.IsFinal {
		final = " (final)"
	}
	fmt.Printf("Time update #%d: %s%s\n", u.SequenceNum, u.TimeString, final)
	return nil
}
