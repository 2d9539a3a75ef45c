export const HELP = `wizard — from an empty Kubernetes + Istio cluster to verified ingress routing

Usage:
  wizard [run] [flags]        walk the steps (asks what it needs on a terminal)
  wizard steps                list the step ids in order with their state
  wizard verify [flags]       run only the live curl checks (-o json for a report on stdout)
  wizard teardown [flags]     delete exactly the objects the wizard manages

Steps: preflight, build-image, deploy-versions, define-subsets, add-hosts, generate-certs, load-certs,
       apply-gateway, verify

Answers and state:
  -c, --config FILE           answers from a YAML file (see assets/wizard.example.yaml)
      --api istio|gateway-api routing objects: Istio's (default, the tutorial's) or the Kubernetes Gateway API
  -y, --yes                   go ahead everywhere without asking; with no --config and no saved answers only a
                              dry-run uses the bundled example (a live run refuses: pass --config or --recommended)
      --recommended           the recommended setup (the bundled assets/wizard.example.yaml) as the answers
      --step                  ask before each step in a client dry-run too (to review each plan)
      --state-dir DIR         state and certificates (default .wizard)
      --wait-lock             another run holds the state directory: wait for it (default: stop, exit 2)
      --from STEP             start at STEP (its dependencies must be done)
      --to STEP               stop after STEP
      --skip STEP[,STEP...]   leave steps out
      --reset                 forget the saved progress and answers (certificates stay) and start over

Questions, and how to answer them up front:
  the recommended setup or customise?   --recommended, or --config FILE
  namespace, app, image, versions,      config keys namespace, app, image, versions, loadBalancer, hosts
  load balancer, hosts (name, protocol, (hosts[].name, .protocol, .tls.mode, .route / .routes); -n NS for the
  TLS mode, route)                      namespace; --build-tool, --skip-build for build.*
  routing API (Istio's or the Gateway   config key api (istio | gateway-api), --api; gatewayApi.* for the
  API)                                  GatewayClass, the deployment (attach | automated) and the Service
  "Run STEP?" (go ahead / all / edit /  --yes (go ahead everywhere), --skip STEP, --to STEP; a client dry-run
  skip / quit)                          does not ask unless --step
  "Edit the answers for this step"      the step's config keys (gateway.*, certs.*, verify.* — --address,
                                        --http-port, --https-port for verify.*)
  where the built image goes (a plan    config key build.load (kind | minikube | k3d | push | none), or an
  that would fail offers this)          image with a registry
  resume: continue / start at / over    --from STEP, or --reset
  label the namespace for injection?    not asked with --yes (then it stays unlabelled): label it yourself,
                                        kubectl label namespace NS istio-injection=enabled
  teardown: delete these objects?       --yes

Modes:
      --dry-run[=client]      print the manifests on stdout; touch no cluster, run no container tool
      --dry-run=server        send every object with the API server's dryRun=All; nothing persists
      --include-secrets       print private keys in the dry-run output (redacted by default)
  -o, --output text|yaml|json output format of the dry-run (yaml) and of verify (json)

Cluster (like kubectl):
      --kubeconfig FILE       only this kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME          kube context to use
  -n, --namespace NS          namespace of the app (overrides the config's namespace)
      --force-conflicts       take over fields another field manager owns
      --wait-timeout DURATION rollout wait (default 180s; e.g. 90, 90s, 3m)
      --no-wait               do not wait for rollouts

Build and verify:
      --build-tool TOOL       docker | podman | nerdctl (default: the first one found)
      --skip-build            use a prebuilt image (same as build.enabled: false)
      --address IP            ingress address to verify against (default: what preflight found)
      --http-port N           ingress HTTP port (default: from preflight, else 80)
      --https-port N          ingress HTTPS port (default: from preflight, else 443)

Teardown:
      --purge-certs           also delete the local certificates

Other:
  -h, --help                  this help
  -V, --version               version

Exit codes: 0 ok, 1 a step or check failed, 2 bad flags or config, 130 interrupted.
`;
