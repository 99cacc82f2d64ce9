package virtfusion

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestFlexInt(t *testing.T) {
	tests := []struct {
		in      string
		want    FlexInt
		wantErr bool
	}{
		{`42`, 42, false},
		{`"11811160064"`, 11811160064, false},
		{`"0.0100000000"`, 0, false},
		{`17.9`, 17, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`false`, 0, false},
		{`true`, 1, false},
		{`-3`, -3, false},
		{`"abc"`, 0, true},
		{`{}`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexInt
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFlexFloat(t *testing.T) {
	tests := []struct {
		in   string
		want FlexFloat
	}{
		{`17.4`, 17.4},
		{`"0.0100000000"`, 0.01},
		{`"31.25"`, 31.25},
		{`false`, 0},
		{`null`, 0},
		{`""`, 0},
		{`3`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexFloat
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFlexBool(t *testing.T) {
	tests := []struct {
		in      string
		want    FlexBool
		wantErr bool
	}{
		{`true`, true, false},
		{`false`, false, false},
		{`0`, false, false},
		{`1`, true, false},
		{`"1"`, true, false},
		{`"0"`, false, false},
		{`"true"`, true, false},
		{`""`, false, false},
		{`null`, false, false},
		{`2`, true, false},
		{`"maybe"`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexBool
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFlexString(t *testing.T) {
	tests := []struct {
		in      string
		want    FlexString
		wantErr bool
	}{
		{`"u_abc"`, "u_abc", false},
		{`"a\"b"`, `a"b`, false},
		{`4`, "4", false},
		{`1.50`, "1.50", false},
		{`null`, "", false},
		{`false`, "", false},
		{`true`, "true", false},
		{`[]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexString
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFlexTime(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{`"2025-01-15T15:00:49+00:00"`, time.Date(2025, 1, 15, 15, 0, 49, 0, time.UTC), false},
		{`"2025-01-20T12:48:20.000000Z"`, time.Date(2025, 1, 20, 12, 48, 20, 0, time.UTC), false},
		{`"2025-02-05T23:59:59.999999Z"`, time.Date(2025, 2, 5, 23, 59, 59, 999999000, time.UTC), false},
		{`"2025-01-06 00:00:00"`, time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), false},
		{`"2025-01-15T17:00:49+02:00"`, time.Date(2025, 1, 15, 15, 0, 49, 0, time.UTC), false},
		{`"2024-04-23"`, time.Date(2024, 4, 23, 0, 0, 0, 0, time.UTC), false},
		{`1736953249`, time.Unix(1736953249, 0), false},
		{`null`, time.Time{}, false},
		{`false`, time.Time{}, false},
		{`""`, time.Time{}, false},
		{`"0000-00-00 00:00:00"`, time.Time{}, false},
		{`"yesterday"`, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexTime
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got.Time, tt.want)
			}
		})
	}
	t.Run("MarshalRoundTrip", func(t *testing.T) {
		in := FlexTime{time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out FlexTime
		if err := json.Unmarshal(b, &out); err != nil || !out.Equal(in.Time) {
			t.Errorf("got %v (%v), want %v", out.Time, err, in.Time)
		}
		if b, _ := json.Marshal(FlexTime{}); string(b) != "null" {
			t.Errorf("zero marshals to %s, want null", b)
		}
	})
}

func TestFlexObject(t *testing.T) {
	type obj struct {
		A int `json:"a"`
	}
	tests := []struct {
		in        string
		wantValid bool
		wantA     int
	}{
		{`{"a":1}`, true, 1},
		{`{}`, true, 0},
		{`false`, false, 0},
		{`null`, false, 0},
		{`[]`, false, 0},
		{`""`, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexObject[obj]
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if got.Valid != tt.wantValid || got.V.A != tt.wantA {
				t.Errorf("got %+v, want valid=%v a=%d", got, tt.wantValid, tt.wantA)
			}
			if (got.Ptr() != nil) != tt.wantValid {
				t.Errorf("Ptr() = %v, want non-nil %v", got.Ptr(), tt.wantValid)
			}
		})
	}
	t.Run("Absent", func(t *testing.T) {
		var v struct {
			O FlexObject[obj] `json:"o"`
		}
		if err := json.Unmarshal([]byte(`{}`), &v); err != nil || v.O.Valid {
			t.Errorf("got %+v, %v; want not valid", v.O, err)
		}
	})
}

func TestFlexMap(t *testing.T) {
	tests := []struct {
		in   string
		want FlexMap[string]
	}{
		{`{"a":"x","b":"y"}`, FlexMap[string]{"a": "x", "b": "y"}},
		{`[]`, nil},
		{`null`, nil},
		{`false`, nil},
		{`["x","y"]`, FlexMap[string]{"0": "x", "1": "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexMap[string]
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFlexList(t *testing.T) {
	tests := []struct {
		in   string
		want FlexList[int]
	}{
		{`[1,2]`, FlexList[int]{1, 2}},
		{`[]`, FlexList[int]{}},
		{`{}`, nil},
		{`{ }`, nil},
		{`null`, nil},
		{`false`, nil},
		{`{"2":30,"0":10,"1":20}`, FlexList[int]{10, 20, 30}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexList[int]
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("ErrNonIndexKey", func(t *testing.T) {
		var got FlexList[int]
		if err := json.Unmarshal([]byte(`{"a":1}`), &got); err == nil {
			t.Errorf("got nil error, want one")
		}
	})
}
