package stack

import (
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// StatusPath is the public status route CloudFront caches for
// StatusCacheSeconds (the app's Cache-Control says the same).
const (
	StatusPath         = "/api/status"
	StatusCacheSeconds = 30
)

// SPAFunctionCode rewrites extension-less paths to /index.html so the
// client-side router gets deep links. It runs on the default behaviour only,
// so /api/* 404s stay JSON.

const SPAFunctionCode = `function handler(event) {
  var req = event.request;
  var last = req.uri.substring(req.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    req.uri = '/index.html';
  }
  return req;
}`

// newSite creates the private bucket, the CloudFront distribution with the
// UI and /api/*, and the UI upload. It returns the site URL: the custom
// domain, or else the distribution's own domain. It must not refer to any
// function or route, because the functions refer to the site URL. origin is
// the secret whose originKey CloudFront sends to the API; webACL, when not
// nil, is the ARN of the WAF web ACL in front of the distribution.
func newSite(stack awscdk.Stack, p Props, api awsapigatewayv2.HttpApi, origin awssecretsmanager.ISecret, webACL *string,
	retention awslogs.RetentionDays, removal awscdk.RemovalPolicy) *string {
	// One bucket takes the site's access logs: CloudFront's standard logs
	// (which need ACLs, hence object-writer ownership) and the UI bucket's
	// server access logs. Logs expire with the log retention.
	logDays := 30.0
	if retention == awslogs.RetentionDays_THREE_MONTHS {
		logDays = 90
	}
	logBucket := awss3.NewBucket(stack, jsii.String("AccessLogBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_OBJECT_WRITER,
		RemovalPolicy:     removal,
		AutoDeleteObjects: jsii.Bool(removal == awscdk.RemovalPolicy_DESTROY),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Expiration: awscdk.Duration_Days(jsii.Number(logDays)),
		}},
	})
	bucket := awss3.NewBucket(stack, jsii.String("WebBucket"), &awss3.BucketProps{
		ServerAccessLogsBucket: logBucket,
		ServerAccessLogsPrefix: jsii.String("s3/"),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:             jsii.Bool(true),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:          removal,
		// The UI is rebuilt from source on every deploy, so dev can drop it.
		AutoDeleteObjects: jsii.Bool(removal == awscdk.RemovalPolicy_DESTROY),
	})

	// The header values come from internal/routes, which the local runner
	// sends too.
	headers := awscloudfront.NewResponseHeadersPolicy(stack, jsii.String("SecurityHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("vfpanel " + p.Stage + " security headers"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Seconds(jsii.Number(routes.HSTSMaxAgeSeconds)),
				IncludeSubdomains:   jsii.Bool(true),
				Override:            jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
				FrameOption: awscloudfront.HeadersFrameOption(routes.FrameOptions),
				Override:    jsii.Bool(true),
			},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				// The CDK's enum names are the header values in capitals, with underscores.
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy(strings.ToUpper(strings.ReplaceAll(routes.ReferrerPolicy, "-", "_"))),
				Override:       jsii.Bool(true),
			},
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String(routes.ContentSecurityPolicy(p.VirtFusionPanelURL)),
				Override:              jsii.Bool(true),
			},
		},
	})

	spaRewrite := awscloudfront.NewFunction(stack, jsii.String("SpaRewrite"), &awscloudfront.FunctionProps{
		Code:    awscloudfront.FunctionCode_FromInline(jsii.String(SPAFunctionCode)),
		Runtime: awscloudfront.FunctionRuntime_JS_2_0(),
		Comment: jsii.String("vfpanel " + p.Stage + " SpaRewrite"),
	})

	// The API endpoint is https://<id>.execute-api.<region>.amazonaws.com;
	// CloudFront wants just the host.
	apiHost := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), api.ApiEndpoint(), nil))
	// CloudFront adds the origin key to every /api/* request (replacing any
	// the viewer sent); the app refuses requests without it, so calling the
	// execute-api endpoint directly gets nowhere. The template holds only a
	// dynamic reference, which CloudFormation resolves at deploy time.
	originKey := origin.SecretValueFromJson(jsii.String("originKey")).UnsafeUnwrap()

	props := &awscloudfront.DistributionProps{
		Comment:           jsii.String("vfpanel " + p.Stage),
		DefaultRootObject: jsii.String("index.html"),
		HttpVersion:       awscloudfront.HttpVersion_HTTP2_AND_3,
		PriceClass:        awscloudfront.PriceClass_PRICE_CLASS_100,
		EnableLogging:     jsii.Bool(true),
		LogBucket:         logBucket,
		LogFilePrefix:     jsii.String("cloudfront/"),
		WebAclId:          webACL,
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(bucket, nil),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: headers,
			Compress:              jsii.Bool(true),
			FunctionAssociations: &[]*awscloudfront.FunctionAssociation{{
				EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST,
				Function:  spaRewrite,
			}},
		},
	}
	siteURL := jsii.String("https://" + p.DomainName)
	if p.DomainName != "" {
		props.DomainNames = jsii.Strings(p.DomainName)
		props.MinimumProtocolVersion = awscloudfront.SecurityPolicyProtocol_TLS_V1_2_2021
		props.Certificate = awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"), jsii.String(p.CertificateArn))
	}
	dist := awscloudfront.NewDistribution(stack, jsii.String("Site"), props)
	// CloudFront tries behaviours in order, so /api/status goes before
	// /api/*: added one by one, not as a map whose order is lost.
	apiOrigin := awscloudfrontorigins.NewHttpOrigin(apiHost, &awscloudfrontorigins.HttpOriginProps{
		ProtocolPolicy: awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
		CustomHeaders:  &map[string]*string{routes.OriginVerifyHeader: originKey},
	})
	// The public status is the same for everyone: cached StatusCacheSeconds
	// at the edge, keyed on nothing the viewer sends, and sent no cookies.
	dist.AddBehavior(jsii.String(StatusPath), apiOrigin, &awscloudfront.AddBehaviorOptions{
		ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
		AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_GET_HEAD(),
		CachePolicy: awscloudfront.NewCachePolicy(stack, jsii.String("StatusCache"), &awscloudfront.CachePolicyProps{
			CachePolicyName:            jsii.String("vfpanel-" + p.Stage + "-status"),
			Comment:                    jsii.String("vfpanel " + p.Stage + ": public status, " + strconv.Itoa(StatusCacheSeconds) + " s"),
			MinTtl:                     awscdk.Duration_Seconds(jsii.Number(0)),
			DefaultTtl:                 awscdk.Duration_Seconds(jsii.Number(StatusCacheSeconds)),
			MaxTtl:                     awscdk.Duration_Seconds(jsii.Number(StatusCacheSeconds)),
			CookieBehavior:             awscloudfront.CacheCookieBehavior_None(),
			HeaderBehavior:             awscloudfront.CacheHeaderBehavior_None(),
			QueryStringBehavior:        awscloudfront.CacheQueryStringBehavior_None(),
			EnableAcceptEncodingGzip:   jsii.Bool(true),
			EnableAcceptEncodingBrotli: jsii.Bool(true),
		}),
		ResponseHeadersPolicy: headers,
		Compress:              jsii.Bool(true),
	})
	// No viewer function on /api/*: the app takes its origin from
	// PUBLIC_URL, so no header needs rewriting on the way in.
	dist.AddBehavior(jsii.String("/api/*"), apiOrigin, &awscloudfront.AddBehaviorOptions{
		ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
		AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_ALL(),
		CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
		OriginRequestPolicy:   awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
		ResponseHeadersPolicy: headers,
	})
	if p.DomainName == "" {
		siteURL = jsii.String("https://" + *dist.DistributionDomainName())
	}

	awss3deployment.NewBucketDeployment(stack, jsii.String("WebDeploy"), &awss3deployment.BucketDeploymentProps{
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(p.WebDir), nil)},
		DestinationBucket: bucket,
		Distribution:      dist,
		DistributionPaths: jsii.Strings("/*"),
		MemoryLimit:       jsii.Number(512),
		// Otherwise the upload handler logs to an implicit group kept forever.
		LogGroup: awslogs.NewLogGroup(stack, jsii.String("WebDeployLogs"), &awslogs.LogGroupProps{
			Retention:     retention,
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		}),
	})
	return siteURL
}
