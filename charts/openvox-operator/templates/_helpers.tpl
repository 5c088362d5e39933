{{/* Names, labels and small shared fragments of the chart. */}}

{{- define "openvox-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; "openvox-operator" for a release of that name. */}}
{{- define "openvox-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "openvox-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Namespace-scoped mode: the watched namespaces, comma-separated (scope.watchNamespace and
scope.watchNamespaces; the release namespace when both are empty). Empty in cluster mode.
*/}}
{{- define "openvox-operator.watchNamespaces" -}}
{{- $scope := .Values.scope }}
{{- $listed := compact (concat (list $scope.watchNamespace) ($scope.watchNamespaces | default list)) }}
{{- if eq $scope.mode "namespace" }}
{{- join "," (uniq (default (list .Release.Namespace) $listed)) }}
{{- else if $listed }}
{{- fail "scope.watchNamespace and scope.watchNamespaces apply only with scope.mode: namespace (cluster mode watches every namespace)" }}
{{- end }}
{{- end }}

{{/* Names of the two components and their objects (52 characters leave room for suffixes). */}}
{{- define "openvox-operator.webhook.name" -}}
{{- printf "%s-webhook" (include "openvox-operator.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{- define "openvox-operator.controller.name" -}}
{{- printf "%s-controller" (include "openvox-operator.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{- define "openvox-operator.labels" -}}
helm.sh/chart: {{ include "openvox-operator.chart" . }}
app.kubernetes.io/name: {{ include "openvox-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: openvox-operator
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "webhook"). */}}
{{- define "openvox-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "openvox-operator.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "openvox-operator.componentLabels" -}}
{{ include "openvox-operator.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "openvox-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "openvox-operator.webhook.serviceAccountName" -}}
{{- if .Values.webhook.serviceAccount.create }}
{{- default (include "openvox-operator.webhook.name" .) .Values.webhook.serviceAccount.name }}
{{- else }}
{{- required "webhook.serviceAccount.name is required when webhook.serviceAccount.create is false" .Values.webhook.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "openvox-operator.controller.serviceAccountName" -}}
{{- if .Values.controller.serviceAccount.create }}
{{- default (include "openvox-operator.controller.name" .) .Values.controller.serviceAccount.name }}
{{- else }}
{{- required "controller.serviceAccount.name is required when controller.serviceAccount.create is false" .Values.controller.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Namespace mode: a Role with these rules and its RoleBinding to the component's ServiceAccount, in one
watched namespace; call with (dict "root" $ "component" "controller" "namespace" NS "rules" RULES).
*/}}
{{- define "openvox-operator.namespacedBinding" }}
{{- $root := .root }}
{{- $name := include (printf "openvox-operator.%s.name" .component) $root }}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "openvox-operator.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
rules:
  {{- .rules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "openvox-operator.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include (printf "openvox-operator.%s.serviceAccountName" .component) $root }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}

{{/* cert-manager objects and the Secret the webhook serves from. */}}
{{- define "openvox-operator.webhook.certificateName" -}}
{{- include "openvox-operator.webhook.name" . }}
{{- end }}

{{- define "openvox-operator.webhook.tlsSecretName" -}}
{{- if .Values.webhook.certManager.enabled }}
{{- printf "%s-tls" (include "openvox-operator.webhook.name" .) }}
{{- else }}
{{- include "openvox-operator.byo.secretName" . }}
{{- end }}
{{- end }}

{{/* Bring-your-own certificate mode: both values are required and checked for shape. */}}
{{- define "openvox-operator.byo.secretName" -}}
{{- if not .Values.webhook.tls.secretName }}
{{- fail "webhook.tls.secretName is required when webhook.certManager.enabled is false: name an existing kubernetes.io/tls Secret (keys tls.crt, tls.key) in the release namespace whose certificate is valid for the webhook Service DNS names" }}
{{- end }}
{{- .Values.webhook.tls.secretName }}
{{- end }}

{{- define "openvox-operator.byo.caBundle" -}}
{{- $bundle := .Values.webhook.tls.caBundle }}
{{- if not $bundle }}
{{- fail "webhook.tls.caBundle is required when webhook.certManager.enabled is false: the base64-encoded PEM of the CA that signed the certificate in webhook.tls.secretName (without it the API server cannot call the webhook and, with failurePolicy Fail, every Server write is refused)" }}
{{- end }}
{{- if not (contains "-----BEGIN CERTIFICATE-----" (b64dec $bundle)) }}
{{- fail "webhook.tls.caBundle must be base64-encoded PEM (base64 of a file starting with -----BEGIN CERTIFICATE-----), e.g. --set webhook.tls.caBundle=$(base64 -w0 ca.crt)" }}
{{- end }}
{{- $bundle }}
{{- end }}

{{/* Webhook Service DNS names, the serving certificate's SANs. */}}
{{- define "openvox-operator.webhook.dnsNames" -}}
{{- $svc := include "openvox-operator.webhook.name" . }}
- {{ $svc }}
- {{ $svc }}.{{ .Release.Namespace }}
- {{ $svc }}.{{ .Release.Namespace }}.svc
- {{ $svc }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}
{{- end }}

{{/* Restricted container security context shared by both components. */}}
{{- define "openvox-operator.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "openvox-operator.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* cainjector copies the serving Certificate's ca.crt into the configuration (cert-manager mode). */}}
{{- define "openvox-operator.webhook.injectAnnotation" -}}
{{- if .Values.webhook.certManager.enabled -}}
annotations:
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "openvox-operator.webhook.certificateName" . }}
{{- end }}
{{- end }}

{{/* One webhook entry without its name; call with (dict "root" $ "path" P "caBundle" B). */}}
{{- define "openvox-operator.webhook.entry" -}}
{{- $root := .root }}
{{- $values := $root.Values.webhook -}}
admissionReviewVersions: ["v1"]
sideEffects: None
failurePolicy: {{ $values.failurePolicy }}
matchPolicy: Equivalent
timeoutSeconds: {{ $values.timeoutSeconds }}
clientConfig:
  service:
    name: {{ include "openvox-operator.webhook.name" $root }}
    namespace: {{ $root.Release.Namespace }}
    path: {{ .path }}
    port: 443
  {{- with .caBundle }}
  caBundle: {{ . }}
  {{- end }}
rules:
  - apiGroups: ["openvox.voxpupuli.org"]
    apiVersions: ["v1alpha1"]
    operations: ["CREATE", "UPDATE"]
    resources: [{{ .resource | default "servers" | quote }}]
    scope: Namespaced
namespaceSelector:
  matchExpressions:
    {{- with include "openvox-operator.watchNamespaces" $root }}
    {{- if $values.excludeNamespaces }}
    {{- fail "webhook.excludeNamespaces applies only with scope.mode: cluster; in namespace mode the webhooks select exactly the watched namespaces (scope.watchNamespace, scope.watchNamespaces)" }}
    {{- end }}
    {{- /* Only the watched namespaces, the release namespace too when it is one: the rules match openvox kinds only, never the operator's own Deployments. */}}
    - key: kubernetes.io/metadata.name
      operator: In
      values:
        {{- toYaml (splitList "," .) | nindent 8 }}
    {{- else }}
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- toYaml (concat (list $root.Release.Namespace "kube-system") $values.excludeNamespaces | uniq) | nindent 8 }}
    {{- end }}
    {{- with $values.namespaceSelector.matchExpressions }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $values.namespaceSelector.matchLabels }}
  matchLabels:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* The controller's metrics: the Service a ServiceMonitor selects and the ClusterRole a scraper is bound to. */}}
{{- define "openvox-operator.controller.metricsName" -}}
{{- printf "%s-metrics" (include "openvox-operator.controller.name" .) }}
{{- end }}

{{- define "openvox-operator.metricsReaderName" -}}
{{- printf "%s-metrics-reader" (include "openvox-operator.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{/*
Node's heap limits, as NODE_OPTIONS: V8's whole heap (old space plus a young generation of three
semi-spaces: 8 MiB for the webhook, whose requests allocate fast (16 kept 8 MiB more RSS for no measurable throughput); 4 MiB for the controller, whose
reconciles do not, which keeps up to 36 MiB of RSS it would not use) is nodeHeapPercent of the memory limit. Node 24 sizes the young generation from
the machine's memory (192 MiB on a 24 GiB node) unless told, so --max-old-space-size alone would not
keep the heap below a small container limit. The limit: an integer with an optional binary or decimal
suffix (Ki, Mi, Gi, Ti, k, M, G, T). Call with (dict "root" $ "limit" L "semiSpace" MiB).
*/}}
{{- define "openvox-operator.nodeHeapFlags" -}}
{{- $limit := toString .limit }}
{{- $digits := regexFind "^[0-9]+" $limit }}
{{- $units := dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 }}
{{- $suffix := trimPrefix $digits $limit }}
{{- if or (not $digits) (not (hasKey $units $suffix)) }}
{{- fail (printf "memory limit %q: give an integer with an optional Ki, Mi, Gi, Ti, k, M, G or T suffix (e.g. 384Mi), so the chart can derive Node's heap limit from it" $limit) }}
{{- end }}
{{- $mib := div (mul (int64 $digits) (get $units $suffix)) 1048576 }}
{{- $semiSpace := .semiSpace | int }}
{{- $old := sub (div (mul $mib .root.Values.nodeHeapPercent) 100) (mul 3 $semiSpace) }}
{{- if lt $old 64 }}
{{- fail (printf "memory limit %q leaves Node less than 64 MiB of old space at nodeHeapPercent %v: raise the limit" $limit .root.Values.nodeHeapPercent) }}
{{- end }}
{{- printf "--max-old-space-size=%d --max-semi-space-size=%d" $old $semiSpace }}
{{- end }}

{{/* NODE_OPTIONS with the heap limits, when the component has a memory limit; call with (dict "root" $ "resources" R "semiSpace" MiB). */}}
{{- define "openvox-operator.nodeOptionsEnv" -}}
{{- with (dig "limits" "memory" "" .resources) }}
- name: NODE_OPTIONS
  value: {{ include "openvox-operator.nodeHeapFlags" (dict "root" $.root "limit" . "semiSpace" $.semiSpace) | quote }}
{{- end }}
{{- end }}

{{/* Egress of both components: the API server and DNS, nothing else. */}}
{{- define "openvox-operator.networkPolicyEgress" -}}
{{- $np := .Values.networkPolicy -}}
- ports:
    {{- range $np.apiServer.ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
  {{- with $np.apiServer.cidrs }}
  to:
    {{- range . }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
- ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
  {{- with $np.dnsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
