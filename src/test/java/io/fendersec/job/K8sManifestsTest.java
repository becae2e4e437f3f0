package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.FlinkSessionJob;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s parses with the Flink Kubernetes Operator's own resource model (and Kubernetes'
 * through fabric8), with no field the model does not know, and its pieces fit: the jar the image
 * holds, the job files the ConfigMap carries and our job-spec reader accepts, the key mounted on
 * the JobManager and the TaskManagers, the ${env:} secrets set on the TaskManagers only,
 * checkpoints on S3, and job health exported for Prometheus.
 */
class K8sManifestsTest {
    private static final Path DIR = Path.of("deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    /** The newest operator API served here (1.10.0) predates Flink 2.x in its FlinkVersion enum. */
    private static final String FLINK_VERSION = "v2_3";

    static Map<String, Object> resources;
    static List<JsonNode> flinkVersions = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        resources = new LinkedHashMap<>();
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var docs = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = (JsonNode) docs.next();
                        Object typed = typed(doc);
                        assertNoUnknownFields(typed, f + " " + doc.path("kind").asText());
                        String key = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
                        assertThat(resources.put(key, typed)).as("duplicate " + key).isNull();
                    }
                }
            }
        }
    }

    private static Object typed(JsonNode doc) throws IOException {
        String kind = doc.path("kind").asText();
        Class<?> type = switch (kind) {
            case "FlinkDeployment" -> FlinkDeployment.class;
            case "FlinkSessionJob" -> FlinkSessionJob.class;
            case "ConfigMap" -> ConfigMap.class;
            case "Secret" -> Secret.class;
            case "CronJob" -> CronJob.class;
            case "ServiceAccount" -> ServiceAccount.class;
            case "Role" -> Role.class;
            case "RoleBinding" -> RoleBinding.class;
            default -> throw new AssertionError("unexpected kind " + kind);
        };
        JsonNode version = doc.path("spec").path("flinkVersion");
        if (!version.isMissingNode()) {
            flinkVersions.add(version);
            ((ObjectNode) doc.get("spec")).put("flinkVersion", "v1_20"); // the newest the served model knows
        }
        return YAML.treeToValue(doc, type);
    }

    @Test
    void theResourcesAreThoseTheReadmeNames() {
        assertThat(resources).containsKeys("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session",
                "FlinkSessionJob/fendersec-nightly", "ConfigMap/fendersec-jobs", "Secret/fendersec-key",
                "Secret/fendersec-alert-store", "Secret/fendersec-s3", "CronJob/fendersec-nightly");
        assertThat(flinkVersions).isNotEmpty().allSatisfy(v -> assertThat(v.asText()).isEqualTo(FLINK_VERSION));
    }

    @Test
    void theContinuousJobRunsTheJarOfTheImageOnAJobFileOfTheConfigMap() throws IOException {
        FlinkDeployment d = get("FlinkDeployment/fendersec-continuous");
        var job = d.getSpec().getJob();
        assertThat(job.getJarURI()).isEqualTo("local:///opt/flink/usrlib/fendersec.jar");
        assertThat(Files.readString(DIR.resolve("Dockerfile")))
                .contains("FROM flink:2.3.0-scala_2.12-java17")
                .contains("COPY target/fendersec.jar /opt/flink/usrlib/fendersec.jar")
                .contains("plugins/s3-fs-presto");
        assertThat(job.getArgs()).hasSize(2).startsWith("run");
        assertThat(job.getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(job.getState()).isEqualTo(JobState.RUNNING);

        JobSpec spec = jobFile(d.getSpec().getPodTemplate(), job.getArgs()[1]);
        assertThat(spec.source.settings.mode().name()).isEqualToIgnoringCase("continuous");
        assertThat(spec.checkpointing.dir).startsWith("s3://");
        assertThat(d.getSpec().getFlinkConfiguration())
                .containsEntry("execution.checkpointing.dir", spec.checkpointing.dir)
                .containsKey("s3.endpoint");
        // S3 credentials come from a Secret, as environment of every pod.
        assertThat(secretEnv(mainContainer(d.getSpec().getPodTemplate())))
                .containsEntry("AWS_ACCESS_KEY_ID", "fendersec-s3").containsEntry("AWS_SECRET_ACCESS_KEY", "fendersec-s3");
    }

    @Test
    void theNightlySessionJobRunsABoundedJobFileOnTheSessionCluster() throws IOException {
        FlinkSessionJob s = get("FlinkSessionJob/fendersec-nightly");
        FlinkDeployment session = get("FlinkDeployment/" + s.getSpec().getDeploymentName());
        assertThat(session.getSpec().getJob()).as("a session cluster has no job of its own").isNull();
        assertThat(s.getSpec().getJob().getJarURI()).endsWith(".jar");
        assertThat(s.getSpec().getJob().getArgs()).hasSize(2).startsWith("run");
        JobSpec spec = jobFile(session.getSpec().getPodTemplate(), s.getSpec().getJob().getArgs()[1]);
        assertThat(spec.source.settings.mode().name()).isEqualToIgnoringCase("bounded");

        // The schedule re-creates exactly this session job.
        CronJob cron = get("CronJob/fendersec-nightly");
        Container kubectl = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(String.join(" ", kubectl.getCommand())).contains("replace --force -f /manifests/fendersec-nightly.yaml");
        Role role = get("Role/fendersec-scheduler");
        assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("flinksessionjobs"));
    }

    @Test
    void theKeyIsAFileOnJobManagerAndTaskManagersAndTheJobSecretsAreOnTaskManagersOnly() throws IOException {
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            FlinkDeployment d = get(name);
            PodTemplateSpec both = d.getSpec().getPodTemplate();
            String jobFileName = name.endsWith("continuous") ? "continuous.yaml" : "nightly.yaml";
            String text = configMapData().get(jobFileName);
            JobSpec spec = jobFile(both, "/opt/fendersec/jobs/" + jobFileName);

            // The private key: the path the job file names lies in a mount of the Secret that holds it.
            Path key = Path.of(YAML.readTree(text).path("source").path("auth").path("private-key").asText());
            String secret = mountedSource(both, key.getParent().toString(), true);
            assertThat(secret).isEqualTo("fendersec-key");
            assertThat(this.<Secret>get("Secret/" + secret).getStringData()).containsKey(key.getFileName().toString());
            assertThat(spec.source).isNotNull();

            // Each ${env:} reference is set from a Secret on the TaskManagers, and nowhere else.
            Set<String> refs = ENV_REF.matcher(text).results().map(m -> m.group(1)).collect(Collectors.toSet());
            assertThat(refs).contains("FENDERSEC_DB_PASSWORD");
            Map<String, String> tm = secretEnv(mainContainer(d.getSpec().getTaskManager().getPodTemplate()));
            for (String ref : refs) {
                assertThat(tm).as(name + " TaskManager env " + ref).containsKey(ref);
                assertThat(resources).containsKey("Secret/" + tm.get(ref));
                assertThat(secretEnv(mainContainer(both))).doesNotContainKey(ref);
                assertThat(d.getSpec().getJobManager().getPodTemplate()).isNull();
                assertThat(d.getSpec().getFlinkConfiguration().toString()).doesNotContain(ref);
            }
        }
    }

    @Test
    void jobHealthIsExportedForPrometheus() {
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            FlinkDeployment d = get(name);
            assertThat(d.getSpec().getFlinkConfiguration())
                    .containsEntry("metrics.reporter.prom.factory.class",
                            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                    .containsEntry("metrics.reporter.prom.port", "9249");
            assertThat(d.getSpec().getPodTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "9249");
        }
    }

    /** Every pod the manifests run: the FlinkDeployments' pod templates and the CronJob's. */
    private Map<String, PodTemplateSpec> pods() {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            pods.put(name, this.<FlinkDeployment>get(name).getSpec().getPodTemplate());
        }
        pods.put("CronJob/fendersec-nightly",
                this.<CronJob>get("CronJob/fendersec-nightly").getSpec().getJobTemplate().getSpec().getTemplate());
        return pods;
    }

    /**
     * Mutations caught: a pod without securityContext (runs as the image's user, root for many
     * images), runAsNonRoot dropped, fsGroup dropped (uid 9999 cannot read the key mounted 0400),
     * a container with a writable root file system, privilege escalation, or capabilities kept.
     */
    @Test
    void everyPodRunsAsNonRootWithAReadOnlyRootFileSystemAndNoCapabilities() {
        pods().forEach((name, pod) -> {
            var psc = pod.getSpec().getSecurityContext();
            assertThat(psc).as(name + " pod securityContext").isNotNull();
            assertThat(psc.getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(psc.getRunAsUser()).as(name + " runAsUser").isNotNull().isPositive();
            assertThat(psc.getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            for (Container c : pod.getSpec().getContainers()) {
                var sc = c.getSecurityContext();
                assertThat(sc).as(name + " " + c.getName() + " securityContext").isNotNull();
                assertThat(sc.getReadOnlyRootFilesystem()).as(name + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as(name + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getCapabilities().getDrop()).as(name + " capabilities.drop").contains("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(name + " capabilities.add").isNullOrEmpty();
            }
        });
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            PodTemplateSpec pod = this.<FlinkDeployment>get(name).getSpec().getPodTemplate();
            // The key Secret is mounted 0400: readable to uid 9999 only through fsGroup.
            assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).as(name).isEqualTo(9999L);
            assertThat(pod.getSpec().getSecurityContext().getFsGroup()).as(name + " fsGroup").isEqualTo(9999L);
            // A read-only root: Flink needs writable /tmp and log folders.
            assertThat(mainContainer(pod).getVolumeMounts()).extracting(VolumeMount::getMountPath)
                    .contains("/tmp", "/opt/flink/log");
        }
    }

    /**
     * Every image pinned: either a digest that is not a placeholder, or the variable the deployer fills
     * in with the real digest (README, "Pinning images"). Mutations caught: an image by tag only
     * ({@code registry.example.com/fendersec:0.1.0}, {@code bitnami/kubectl:1.33}): a tag can be moved
     * to other code; a made-up digest (all zeros, one repeated digit), which only looks pinned.
     */
    @Test
    void everyImageIsPinnedByDigest() {
        List<String> images = new ArrayList<>();
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            images.add(this.<FlinkDeployment>get(name).getSpec().getImage());
        }
        pods().values().forEach(p -> p.getSpec().getContainers().stream().map(Container::getImage)
                .filter(java.util.Objects::nonNull).forEach(images::add));
        assertThat(images).hasSizeGreaterThanOrEqualTo(3).allSatisfy(i -> assertThat(pinned(i)).as(i).isTrue());
        // The check itself, on references written by hand.
        assertThat(pinned("bitnami/kubectl:1.33")).isFalse();
        assertThat(pinned("bitnami/kubectl:1.33@sha256:" + "0".repeat(64))).isFalse();
        assertThat(pinned("bitnami/kubectl:1.33@sha256:" + "a".repeat(64))).isFalse();
        assertThat(pinned("bitnami/kubectl:1.33@${SOME_DIGEST}")).isFalse();
        assertThat(pinned("bitnami/kubectl:1.33@sha256:19dff0248157ae4cd320097ace1b5e0ffbb8bc7c7ea7fa3f13f73993fc6d7ee2"))
                .isTrue();
        assertThat(pinned("registry.example.com/fendersec:0.1.0@${FENDERSEC_IMAGE_DIGEST}")).isTrue();
    }

    /** {@code name@sha256:<64 hex>} with more than one distinct digit, or {@code name@${VAR}} of the README's variables. */
    static boolean pinned(String image) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[^@\\s$]+@(sha256:([0-9a-f]{64})|\\$\\{([A-Z_]+)\\})")
                .matcher(image);
        if (!m.matches()) {
            return false;
        }
        if (m.group(2) != null) {
            return m.group(2).chars().distinct().count() > 1;
        }
        return List.of("FENDERSEC_IMAGE_DIGEST", "KUBECTL_IMAGE_DIGEST").contains(m.group(3));
    }

    /**
     * Mutation caught: the scheduler's Role may get/delete (or update, patch) every
     * FlinkSessionJob of the namespace: no rule on flinksessionjobs without resourceNames may
     * grant more than create, and the named one is the nightly job.
     */
    @Test
    void theSchedulerMayTouchOnlyTheNightlyJob() {
        Role role = get("Role/fendersec-scheduler");
        FlinkSessionJob nightly = get("FlinkSessionJob/fendersec-nightly");
        boolean named = false;
        for (var rule : role.getRules()) {
            if (!rule.getResources().contains("flinksessionjobs")) {
                continue;
            }
            if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                assertThat(rule.getVerbs()).as("verbs on every FlinkSessionJob").containsOnly("create");
            } else {
                assertThat(rule.getResourceNames()).containsExactly(nightly.getMetadata().getName());
                assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "delete");
                named = true;
            }
        }
        assertThat(named).as("a rule naming the nightly job").isTrue();
    }

    /**
     * Mutations caught: a jdbc URL without {@code sslmode=verify-full} (the password would go to
     * whoever answers as alert-store), or checkpoints and the archive sent to S3 over http.
     */
    @Test
    void theAlertStoreIsVerifiedAndS3IsReachedOverTls() {
        List<String> jdbc = new ArrayList<>();
        Matcher m = Pattern.compile("url:\\s*(jdbc:\\S+)").matcher(String.join("\n", configMapData().values()));
        while (m.find()) {
            jdbc.add(m.group(1));
        }
        assertThat(jdbc).isNotEmpty().allSatisfy(u -> assertThat(u).contains("sslmode=verify-full")
                .containsPattern("sslrootcert=/etc/fendersec/alert-store-ca/"));
        for (String name : List.of("FlinkDeployment/fendersec-continuous", "FlinkDeployment/fendersec-session")) {
            FlinkDeployment d = get(name);
            String endpoint = d.getSpec().getFlinkConfiguration().get("s3.endpoint");
            if (endpoint != null) {
                assertThat(endpoint).as(name + " s3.endpoint").startsWith("https://");
            }
            assertThat(mountedSource(d.getSpec().getPodTemplate(), "/etc/fendersec/alert-store-ca", true))
                    .isEqualTo("fendersec-alert-store-ca");
        }
        assertThat(this.<FlinkDeployment>get("FlinkDeployment/fendersec-continuous").getSpec().getFlinkConfiguration())
                .containsKey("s3.endpoint");
    }

    /** The job file at {@code path} in the pod: from a mounted ConfigMap, read by our real reader. */
    private JobSpec jobFile(PodTemplateSpec pod, String path) throws IOException {
        Path p = Path.of(path);
        assertThat(mountedSource(pod, p.getParent().toString(), false)).isEqualTo("fendersec-jobs");
        String text = configMapData().get(p.getFileName().toString());
        assertThat(text).as("ConfigMap fendersec-jobs has " + p.getFileName()).isNotNull();
        Path copy = tmp.resolve(p.getFileName().toString());
        Files.writeString(copy, text, StandardCharsets.UTF_8);
        return new JobSpecReader().read(copy);
    }

    private Map<String, String> configMapData() {
        return this.<ConfigMap>get("ConfigMap/fendersec-jobs").getData();
    }

    /** The ConfigMap or Secret name mounted at {@code mountPath} in the pod's main container. */
    private static String mountedSource(PodTemplateSpec pod, String mountPath, boolean secret) {
        Container main = mainContainer(pod);
        VolumeMount m = main.getVolumeMounts().stream().filter(v -> v.getMountPath().equals(mountPath)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
        Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + m.getName()));
        return secret ? v.getSecret().getSecretName() : v.getConfigMap().getName();
    }

    private static Container mainContainer(PodTemplateSpec pod) {
        assertThat(pod).isNotNull();
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("flink-main-container"))
                .findFirst().orElseThrow(() -> new AssertionError("no flink-main-container in the pod template"));
    }

    /** Environment variables set from a Secret: name to the Secret's name. */
    private static Map<String, String> secretEnv(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                env.put(e.getName(), e.getValueFrom().getSecretKeyRef().getName());
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String key) {
        assertThat(resources).containsKey(key);
        return (T) resources.get(key);
    }

    /**
     * fabric8's model keeps fields it does not know in additionalProperties instead of failing:
     * walk every model object and require that map to be empty, so a misspelt field is caught.
     */
    private static void assertNoUnknownFields(Object root, String where) {
        walk(root, where, new IdentityHashMap<>());
    }

    private static void walk(Object o, String path, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, seen));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object v : list) {
                walk(v, path + "[" + i++ + "]", seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("org.apache.flink.kubernetes")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class || m.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties") && v instanceof Map<?, ?> extra) {
                assertThat(extra).as("fields the model does not know at " + path).isEmpty();
            } else {
                walk(v, path + "." + m.getName().substring(3), seen);
            }
        }
    }

    @Test
    void aMisspeltFieldIsCaught() throws IOException {
        JsonNode doc = YAML.readTree("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, lables: {a: b}}\n");
        Object typed = typed(doc);
        Matcher ignored = ENV_REF.matcher("");
        assertThat(ignored).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNoUnknownFields(typed, "test"))
                .hasMessageContaining("lables");
    }
}
