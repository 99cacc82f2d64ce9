package panel

// Page is one page of a list: its items and the cursor of the next page
// ("" on the last). Every paged list of the API answers in this shape.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor"`
}

// NewPage returns a page whose Items is never nil, so it encodes as [].
func NewPage[T any](items []T, next string) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, NextCursor: next}
}
