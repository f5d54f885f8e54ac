import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type {
  GatewayApplyResult,
  GatewayBundleView,
  GatewayDiffResponse,
  GatewayValidateResponse,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import {
  emptyProviderState,
  emptyRouteState,
  providerInput,
  providerStateFromBundle,
  routeInput,
  routeStateFromBundle,
  type ProviderFormState,
  type RouteFormState,
} from '../../lib/gatewayInput';
import { credentialVariants } from '../../lib/templateSchema';

/** A call's state in a wizard step. */
export interface CallState<T> {
  loading: boolean;
  value?: T;
  error?: Error;
}

const idle = { loading: false };

export interface WizardOptions {
  entityRef: string;
  entityName: string;
  kind: 'provider' | 'route';
  editing?: GatewayBundleView;
}

/**
 * State and server calls of the gateway wizard: the chosen template and its
 * schema, the form, and the preview (POST export), validation (POST
 * validate), diff (POST diff, edits) and apply (create or update) results.
 * Any change to the form clears what was computed from it.
 */
export function useGatewayWizard(options: WizardOptions) {
  const { entityRef, entityName, kind, editing } = options;
  const runnerApi = useApi(runnerApiRef);
  const [templateId, setTemplateId] = useState<string>(
    editing?.template ?? (kind === 'route' ? 'httproute' : ''),
  );
  const [providerState, setProviderState] = useState<ProviderFormState>(() =>
    editing && kind === 'provider'
      ? providerStateFromBundle(editing)
      : emptyProviderState(),
  );
  const [routeState, setRouteState] = useState<RouteFormState>(() =>
    editing && kind === 'route'
      ? routeStateFromBundle(editing)
      : emptyRouteState(entityName),
  );
  const [resourceVersions, setResourceVersions] = useState(
    editing?.resourceVersions ?? {},
  );
  const [preview, setPreview] = useState<CallState<string>>(idle);
  const [validation, setValidation] =
    useState<CallState<GatewayValidateResponse>>(idle);
  const [diff, setDiff] = useState<CallState<GatewayDiffResponse>>(idle);
  const [apply, setApply] = useState<CallState<GatewayApplyResult>>(idle);
  const [reloaded, setReloaded] = useState(false);

  const templates = useAsync(
    async () =>
      kind === 'provider' && !editing
        ? (await runnerApi.listGatewayTemplates()).filter(
            t => t.id !== 'httproute',
          )
        : [],
    [runnerApi, kind, editing],
  );
  const template = useAsync(
    async () =>
      kind === 'provider' && templateId
        ? runnerApi.getGatewayTemplate(templateId)
        : undefined,
    [runnerApi, kind, templateId],
  );

  const clearResults = () => {
    setPreview(idle);
    setValidation(idle);
    setDiff(idle);
    setApply(idle);
  };

  const chooseTemplate = (id: string) => {
    setTemplateId(id);
    setProviderState(emptyProviderState());
    clearResults();
  };

  // A new template's schema picks the first credential type.
  const schema = template.value?.inputSchema;
  const needsType = kind === 'provider' && !providerState.credentialType;
  useEffect(() => {
    const first =
      schema && needsType ? credentialVariants(schema)[0] : undefined;
    if (first) setProviderState(s => ({ ...s, credentialType: first.type }));
  }, [schema, needsType]);

  const input = (): Record<string, unknown> =>
    kind === 'provider'
      ? { provider: templateId, ...providerInput(providerState) }
      : routeInput(routeState);
  const proposal = () => ({ template: templateId, input: input() });
  const type = kind;

  async function run<T>(
    set: (s: CallState<T>) => void,
    call: () => Promise<T>,
  ): Promise<T | undefined> {
    set({ loading: true });
    try {
      const value = await call();
      set({ loading: false, value });
      return value;
    } catch (error) {
      set({ loading: false, error: error as Error });
      return undefined;
    }
  }

  return {
    templateId,
    chooseTemplate,
    templates,
    template,
    providerState,
    setProviderState: (next: ProviderFormState) => {
      setProviderState(next);
      clearResults();
    },
    routeState,
    setRouteState: (next: RouteFormState) => {
      setRouteState(next);
      clearResults();
    },
    bundleName: () =>
      (kind === 'provider' ? providerState.name : routeState.name).trim(),
    preview,
    validation,
    diff,
    apply,
    reloaded,
    runPreview: () =>
      run(setPreview, () =>
        runnerApi.exportGatewayProposal(entityRef, proposal()),
      ),
    runValidate: () =>
      run(setValidation, () =>
        runnerApi.validateGatewayProposal(entityRef, proposal()),
      ),
    runDiff: () =>
      run(setDiff, () => runnerApi.diffGatewayProposal(entityRef, proposal())),
    runApply: () =>
      run(setApply, () =>
        editing
          ? runnerApi.updateGatewayBundle(entityRef, type, editing.name, {
              input: input(),
              resourceVersions,
            })
          : runnerApi.createGatewayBundle(entityRef, type, input()),
      ),
    /** After a 409 stale: read the live bundle again and show it in the form. */
    reload: async () => {
      if (!editing) return;
      const live = await runnerApi.getGatewayBundle(
        entityRef,
        type,
        editing.name,
      );
      setResourceVersions(live.resourceVersions);
      if (kind === 'provider') setProviderState(providerStateFromBundle(live));
      else setRouteState(routeStateFromBundle(live));
      clearResults();
      setReloaded(true);
    },
  };
}

export type GatewayWizardModel = ReturnType<typeof useGatewayWizard>;
