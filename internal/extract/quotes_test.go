package extract

import (
	"math"
	"testing"
)

func TestIsDirectSpeech(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"speech with attribution", `“We heard the residents loud and clear,” said Priya Nand. “This is their government.”`, true},
		{"ascii double quotes", `"I never expected this many people," the organiser said. "We ran out of chairs by noon."`, true},
		{"whole line quoted", `“This is their government, and these are their records.”`, true},
		{"french guillemets with nbsp", "«\u00a0Nous avons attendu ce moment très longtemps\u00a0», a confié la directrice. «\u00a0Les lecteurs nous ont écrit.\u00a0»", true},
		{"german low-high", `„Diese Brücke verbindet zwei Stadtteile, die lange getrennt waren“, sagte die Bürgermeisterin. „Heute ist ein guter Tag.“`, true},
		{"german single low-high", `‚Wir schaffen das schon irgendwie, ganz bestimmt‘, sagte er.`, true},
		{"cjk corner brackets", `「ずっと待っていました。子どもと一緒に毎週来たいです」と女性は話した。`, true},
		{"cjk white corner brackets", `『本と人をつなぐ場所にしたいと思っています』と館長は語った。`, true},
		{"single quotes British style", `‘It was the hardest decision of my life,’ she said. ‘But I would make it again.’`, true},
		{"unclosed speech continuing", `“The records belong to the people who paid for them, and they should be able to read them without asking permission first.`, true},
		{"quoted title opens a narrative", `“Open by Default,” a report the council commissioned last spring from an outside panel of archivists, found that half of all requests had been refused.`, false},
		{"narrative with quoted phrase", `Two members voted against the plan, arguing that the costs had been “wildly underestimated” by its supporters.`, false},
		{"short speech long narrative", `“Yes,” he said, before walking out of the room and down the long corridor towards the car park where reporters waited.`, false},
		{"german quoted title", `„Brücken für morgen“ heißt das Gutachten, das die Mehrkosten auf gestiegene Stahlpreise und lange Lieferzeiten zurückführt.`, false},
		{"cjk short quote", `「駅から近い」。会社員の男性はそう話し、さっそく三冊の本を借りていった。新館の開館時間は午前九時から午後九時まで。`, false},
		{"apostrophe start", `’Tis the season for long queues at the post office, and this year is no exception at all.`, false},
		{"no quote", `The council voted 7 to 2 on Tuesday night.`, false},
		{"empty", ``, false},
		{"lone mark", `“`, false},
		{"apostrophes are not quotes", `'Twas a night when the city's clerks didn't sleep and l'homme du jour wasn't there.`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsDirectSpeech(tt.text); got != tt.want {
				t.Errorf("IsDirectSpeech(%q) = %v, want %v (share %.2f)", tt.text, got, tt.want, QuotedShare(tt.text))
			}
		})
	}
}

func TestQuotedShare(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		{`"abcd" efgh`, 0.5},
		{`abcd efgh`, 0},
		{`“abcd”`, 1},
		{`don’t stop`, 0},
		{`l’homme et l’enfant`, 0},
		{`he said ‘abcd’ twice`, 4.0 / 15.0},
		{"«\u00a0abcd\u00a0» efgh", 0.5},
		{`„abcd“ efgh`, 0.5},
		{`「abcd」efgh`, 0.5},
		{``, 0},
	}
	for _, tt := range tests {
		if got := QuotedShare(tt.text); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("QuotedShare(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\u00a0b", "a b"},
		{"hy\u00adphen", "hyphen"},
		{"zero\u200bwidth\ufeff", "zerowidth"},
		{"family 👩\u200d👩\u200d👧", "family 👩\u200d👩\u200d👧"},
		{"stray\u200djoiner", "strayjoiner"},
		{"می\u200cخواهم", "می\u200cخواهم"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
