# shellcheck shell=bash
# TLS and service-account keys for the test cluster, made anew at every start
# (openssl), and one kubeconfig per client. Sourced by kubernetes.sh.

# cluster_pki DIR: CA, apiserver serving cert, client certs, service-account key pair.
cluster_pki() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 7 \
      -subj "/CN=backstage-runner-test-ca" 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    cat >apiserver.ext <<EOT
subjectAltName = IP:127.0.0.1, IP:$RUNNER_CLUSTER_SERVICE_IP, IP:$RUNNER_CLUSTER_NODE_IP, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage = serverAuth
EOT
    cluster_cert apiserver "/CN=kube-apiserver" apiserver.ext
    cluster_cert admin "/O=system:masters/CN=runner-test-admin"
    cluster_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
    cluster_cert controller-manager "/CN=system:kube-controller-manager"
    cluster_cert scheduler "/CN=system:kube-scheduler"
    cluster_cert kubelet "/O=system:nodes/CN=system:node:$RUNNER_CLUSTER_NODE_NAME"
    cluster_cert kube-proxy "/CN=system:kube-proxy"
  )
}

# cluster_cert NAME SUBJECT [EXTFILE]: a key and a certificate signed by ca.* (in the current folder).
cluster_cert() {
  local name="$1" subject="$2" ext="${3:-}"
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  if [ -z "$ext" ]; then
    ext="$name.ext"
    echo "extendedKeyUsage = clientAuth" >"$ext"
  fi
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 \
    -extfile "$ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr"
}

# cluster_kubeconfig PKI_DIR CLIENT OUT: a kubeconfig for CLIENT's certificate.
cluster_kubeconfig() {
  local pki="$1" client="$2" out="$3"
  cat >"$out" <<EOT
apiVersion: v1
kind: Config
clusters:
  - name: runner-test
    cluster:
      server: https://127.0.0.1:$RUNNER_CLUSTER_API_PORT
      certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
  - name: $client
    user:
      client-certificate-data: $(base64 -w0 <"$pki/$client.crt")
      client-key-data: $(base64 -w0 <"$pki/$client.key")
contexts:
  - name: runner-test
    context: { cluster: runner-test, user: $client }
current-context: runner-test
EOT
}
