// Command infra is vfpanel's AWS CDK app. It reads its settings from CDK
// context (cdk.json, or -c key=value) and synthesises the stack
// "vfpanel-<stage>". Without the CDK CLI: CDK_OUTDIR=cdk.out go run ./infra.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/infra/stack"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	ctx := func(key, def string) string {
		switch v := app.Node().TryGetContext(jsii.String(key)).(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(v)
		}
		return def
	}
	num := func(key string) float64 {
		f, err := strconv.ParseFloat(ctx(key, "0"), 64)
		if err != nil {
			fail(fmt.Errorf("context %s: want a number: %w", key, err))
		}
		return f
	}

	props := stack.Props{
		StackProps: awscdk.StackProps{
			// Account and region come from the CLI's credentials; offline
			// synth leaves them unresolved, which the stack does not need.
			Env: &awscdk.Environment{
				Account: optional(os.Getenv("CDK_DEFAULT_ACCOUNT")),
				Region:  optional(os.Getenv("CDK_DEFAULT_REGION")),
			},
			Description: jsii.String("vfpanel: VirtFusion customer panel"),
		},
		Stage:                      ctx("stage", stack.StageDev),
		Version:                    ctx("version", "dev"),
		BuildDir:                   ctx("buildDir", ""),
		WebDir:                     ctx("webDir", ""),
		DomainName:                 ctx("domain", ""),
		CertificateArn:             ctx("certificateArn", ""),
		AlarmEmail:                 ctx("alarmEmail", ""),
		BetterStackAlarmWebhookURL: ctx("betterStackAlarmWebhookUrl", ""),
		StatusPageURL:              ctx("statusPageUrl", ""),
		GeminiModel:                ctx("geminiModel", "gemini-2.5-flash"),
		VirtFusionPanelURL:         ctx("virtfusionPanelUrl", ""),
		Auth0Domain:                ctx("auth0Domain", ""),
		Auth0ClientID:              ctx("auth0ClientId", ""),
		Auth0Audience:              ctx("auth0Audience", ""),
		Auth0Connection:            ctx("auth0Connection", ""),
		Auth0RolesClaim:            ctx("auth0RolesClaim", ""),
		AdminEmails:                ctx("adminEmails", ""),
		PayPalMode:                 ctx("paypalMode", "sandbox"),
		PayPalWebhookID:            ctx("paypalWebhookId", ""),
		Currency:                   ctx("currency", "USD"),
		ThrottleRate:               num("throttleRate"),
		ThrottleBurst:              num("throttleBurst"),
		WAF:                        ctx("waf", ""),
	}
	if err := props.Validate(); err != nil {
		fail(err)
	}
	if err := props.CheckFiles(); err != nil {
		fail(err)
	}
	st := stack.New(app, "vfpanel-"+props.Stage, props)
	asm := app.Synth(nil)
	// cdk-nag reports findings as error annotations, which the CDK CLI
	// refuses to deploy; fail here too so make synth catches them.
	if errs := stack.NagErrors(asm.GetStackArtifact(st.ArtifactId()).Messages()); len(errs) > 0 {
		fail(fmt.Errorf("%d errors (cdk-nag; fix them or add a suppression with a reason in infra/stack/nag.go):\n%s",
			len(errs), strings.Join(errs, "\n")))
	}
}

// fail stops the jsii runtime (deferred calls don't run on os.Exit) and exits.
func fail(err error) {
	fmt.Fprintln(os.Stderr, "infra:", err)
	jsii.Close()
	os.Exit(2)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
