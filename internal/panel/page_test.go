package panel_test

import (
	"encoding/json"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestNewPageEncodesEmptyListAsArray(t *testing.T) {
	tests := []struct {
		name  string
		items []string
		next  string
		want  string
	}{
		{"Nil", nil, "", `{"items":[],"nextCursor":""}`},
		{"Items", []string{"a"}, "c2", `{"items":["a"],"nextCursor":"c2"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(panel.NewPage(tt.items, tt.next))
			if err != nil || string(b) != tt.want {
				t.Errorf("got %s, %v; want %s", b, err, tt.want)
			}
		})
	}
}
