{{- define "mi.name" -}}market-intelligence{{- end -}}

{{- define "mi.labels" -}}
app.kubernetes.io/name: {{ include "mi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
platform/region: {{ .Values.region }}
{{- end -}}

{{- define "mi.selector" -}}
app.kubernetes.io/name: {{ include "mi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
