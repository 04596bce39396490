package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.store.InvalidSettingException;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the {@link S3AsyncClient} an {@link S3ObjectStore} owns from its {@link S3Settings}: a Netty HTTP
 * client whose connection pool bounds the requests in flight, the SDK's standard retry strategy (throttling,
 * 5xx and I/O errors) with the {@code s3.retry.maxAttempts} budget, {@code s3.timeout.attempt} as the attempt
 * timeout and {@code s3.timeout.operation} as the call timeout (each operation also caps every request at the
 * time its deadline leaves, see {@link Deadline}), and credentials and region from the SDK's default chains
 * unless settings name them.
 */
final class S3ClientFactory {
    /** Used when an endpoint override is set and no region is configured anywhere: S3-compatible stores ignore it. */
    static final Region EMULATOR_FALLBACK_REGION = Region.US_EAST_1;

    private S3ClientFactory() {
    }

    static S3AsyncClient create(S3Settings settings, UnaryOperator<S3AsyncClientBuilder> customizer) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(settings.maxConcurrency())
                        // Callers may queue many more requests than connections; they wait instead of failing.
                        .maxPendingConnectionAcquires(Math.max(10_000, settings.maxConcurrency() * 16)))
                .credentialsProvider(credentials(settings))
                .region(region(settings))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(settings.requestChecksums() == S3Settings.RequestChecksums.WHEN_REQUIRED
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                // The SDK adds "Expect: 100-continue" to PutObject and UploadPart unless this says otherwise.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(settings.expectContinue())
                        .expectContinueThresholdInBytes(S3Settings.EXPECT_CONTINUE_THRESHOLD).build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        S3AsyncClientBuilder customized = customizer.apply(builder);
        // Merged after the customizer, whose overrideConfiguration(Consumer) replaces rather than adds: the retry
        // budget and timeouts apply unless the customizer chose its own.
        ClientOverrideConfiguration current = customized.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = current == null ? ClientOverrideConfiguration.builder()
                : current.toBuilder();
        if (override.retryStrategy() == null && override.retryPolicy() == null && override.retryMode() == null) {
            override.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(settings.retryMaxAttempts()).build());
        }
        if (override.apiCallTimeout() == null) {
            override.apiCallTimeout(settings.operationTimeout());
        }
        if (override.apiCallAttemptTimeout() == null) {
            override.apiCallAttemptTimeout(settings.attemptTimeout());
        }
        return customized.overrideConfiguration(override.build()).build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        switch (settings.credentials()) {
            case ANONYMOUS:
                return AnonymousCredentialsProvider.create();
            case STATIC:
                String id = settings.accessKeyId().orElseThrow();
                String secret = settings.secretAccessKey().orElseThrow();
                return StaticCredentialsProvider.create(settings.sessionToken()
                        .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(t -> AwsSessionCredentials.create(id, secret, t))
                        .orElseGet(() -> AwsBasicCredentials.create(id, secret)));
            default:
                return DefaultCredentialsProvider.builder().build();
        }
    }

    private static Region region(S3Settings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (settings.endpoint().isPresent()) {
                return EMULATOR_FALLBACK_REGION;
            }
            throw new InvalidSettingException(S3Settings.REGION.key(), "not set, and the SDK found no region: set it,"
                    + " or the AWS_REGION environment variable, or a region in the AWS profile");
        }
    }
}
