package stack

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/vfpanel/vfpanel/internal/routes"
)

func TestOutboxStream(t *testing.T) {
	table := devJSON.ofType("AWS::DynamoDB::GlobalTable")
	if len(table) != 1 {
		t.Fatalf("got tables %v", table)
	}
	spec, _ := devJSON.Resources[table[0]].Properties["StreamSpecification"].(map[string]any)
	if spec["StreamViewType"] != "NEW_IMAGE" {
		t.Errorf("got stream spec %v, want NEW_IMAGE", spec)
	}

	fnID, _ := devJSON.function(t, StageDev, "notify")
	var maps []string // the stream's mappings (the queues have their own)
	for _, id := range devJSON.ofType("AWS::Lambda::EventSourceMapping") {
		if _, ok := devJSON.Resources[id].Properties["StartingPosition"]; ok {
			maps = append(maps, id)
		}
	}
	if len(maps) != len(routes.Streams) {
		t.Fatalf("got %d stream event source mappings, want %d", len(maps), len(routes.Streams))
	}
	m := devJSON.Resources[maps[0]].Properties
	if ref(m["FunctionName"]) != fnID {
		t.Errorf("mapping invokes %v, want %s", m["FunctionName"], fnID)
	}
	if m["BisectBatchOnFunctionError"] != true || m["MaximumRetryAttempts"] != float64(StreamRetryAttempts) ||
		!slices.Equal(strs(m["FunctionResponseTypes"]), []string{"ReportBatchItemFailures"}) {
		t.Errorf("retry settings %v", m)
	}
	if getAtt(m["EventSourceArn"]) != table[0] {
		t.Errorf("event source %v, want the table's stream", m["EventSourceArn"])
	}
	dest := m["DestinationConfig"].(map[string]any)["OnFailure"].(map[string]any)["Destination"]
	dlq := devJSON.queue(t, "vfpanel-dev-outbox-dlq")
	if getAtt(dest) != dlq {
		t.Errorf("on-failure destination %v, want the DLQ %v", dest, dlq)
	}
	// Lambda matches the filter against the stream record; these are the
	// only records the handler acts on.
	filters := m["FilterCriteria"].(map[string]any)["Filters"].([]any)
	var pattern map[string]any
	if len(filters) != 1 || json.Unmarshal([]byte(filters[0].(map[string]any)["Pattern"].(string)), &pattern) != nil {
		t.Fatalf("filters %v", filters)
	}
	want := `{"dynamodb":{"Keys":{"PK":{"S":[{"prefix":"OUTBOX#"}]}}},"eventName":["INSERT"]}`
	if got, _ := json.Marshal(pattern); string(got) != want {
		t.Errorf("got filter %s, want %s", got, want)
	}
}

func TestMailSecrets(t *testing.T) {
	names := map[string]bool{}
	for _, id := range devJSON.ofType("AWS::SecretsManager::Secret") {
		names[devJSON.Resources[id].Properties["Name"].(string)] = true
	}
	for _, s := range []string{routes.SecretSMTP, routes.SecretDiscord} {
		if !names[SecretName(StageDev, s)] {
			t.Errorf("secret %s missing", s)
		}
	}
	// notify sends; jobs retries what is due.
	for _, fn := range []string{"notify", "jobs"} {
		_, p := devJSON.function(t, StageDev, fn)
		env := envVars(t, p)
		for _, s := range []string{routes.SecretSMTP, routes.SecretDiscord, routes.SecretSession} {
			if env[SecretEnv(s)] == nil {
				t.Errorf("%s lacks %s", fn, SecretEnv(s))
			}
		}
	}
}
