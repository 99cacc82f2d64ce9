package stack

import (
	"slices"
	"testing"
)

// TestShardQueue: the billing shards queue has a dead-letter queue after
// QueueMaxReceives tries, a visibility timeout of six function timeouts,
// invokes billingshard one shard at a time reporting item failures, and
// only jobs may send to it (its URL in jobs' environment).
func TestShardQueue(t *testing.T) {
	for stage, tpl := range map[string]cfnTemplate{"dev": devJSON, "prod": prodJSON} {
		q := tpl.queue(t, "vfpanel-"+stage+"-billing-shards")
		dlq := tpl.queue(t, "vfpanel-"+stage+"-billing-shards-dlq")
		props := tpl.Resources[q].Properties
		redrive := props["RedrivePolicy"].(map[string]any)
		if getAtt(redrive["deadLetterTargetArn"]) != dlq || redrive["maxReceiveCount"] != float64(QueueMaxReceives) {
			t.Errorf("%s: redrive %v, want %s after %d", stage, redrive, dlq, QueueMaxReceives)
		}
		if props["VisibilityTimeout"] != 6*Settings["billingshard"].TimeoutSeconds || props["SqsManagedSseEnabled"] != true {
			t.Errorf("%s: queue %v", stage, props)
		}
		fnID, fn := tpl.function(t, stage, "billingshard")
		var found bool
		for _, id := range tpl.ofType("AWS::Lambda::EventSourceMapping") {
			m := tpl.Resources[id].Properties
			if getAtt(m["EventSourceArn"]) != q {
				continue
			}
			found = true
			if ref(m["FunctionName"]) != fnID || m["BatchSize"] != float64(1) ||
				!slices.Equal(strs(m["FunctionResponseTypes"]), []string{"ReportBatchItemFailures"}) ||
				m["ScalingConfig"].(map[string]any)["MaximumConcurrency"] != float64(QueueMaxConcurrency) {
				t.Errorf("%s: mapping %v", stage, m)
			}
		}
		if !found {
			t.Errorf("%s: no event source mapping from the shard queue", stage)
		}
		if fn["Timeout"] != Settings["billingshard"].TimeoutSeconds {
			t.Errorf("%s: billingshard timeout %v", stage, fn["Timeout"])
		}
		// Only jobs sends, and it knows where.
		for _, name := range deployedFunctions() {
			_, props := tpl.function(t, stage, name)
			sends := false
			for _, st := range tpl.statements(t, props) {
				if slices.Contains(strs(st["Action"]), "sqs:SendMessage") && getAtt(st["Resource"]) == q {
					sends = true
				}
			}
			env := envVars(t, props)
			_, hasURL := env["SHARD_QUEUE_URL"]
			if want := name == "jobs"; sends != want || hasURL != want {
				t.Errorf("%s: %s sends=%v url=%v, want %v", stage, name, sends, hasURL, want)
			}
		}
	}
}
