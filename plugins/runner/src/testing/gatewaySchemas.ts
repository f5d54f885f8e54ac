// Test data: generated from the backend's zod schemas (z.toJSONSchema). Not exported from an entry point.

/** The input JSON schemas as `GET /gateway/templates/:id` serves them (copied from the backend). */
export const TEMPLATE_SCHEMAS: Record<string, Record<string, unknown>> = {
  openai: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      provider: {
        type: 'string',
        const: 'openai',
      },
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 40,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Prefix of every object name in the bundle',
      },
      namespace: {
        type: 'string',
        minLength: 1,
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Target namespace',
      },
      entityRef: {
        type: 'string',
        minLength: 1,
        description: 'Owning catalog entity, e.g. component:default/my-service',
      },
      parentGateway: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
          namespace: {
            type: 'string',
            minLength: 1,
            maxLength: 63,
            pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            description: 'Target namespace',
          },
          sectionName: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
        },
        required: ['name'],
        description: 'The Gateway the route attaches to',
      },
      models: {
        minItems: 1,
        maxItems: 15,
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 4096,
              description: 'Value of the x-ai-eg-model header',
            },
            modelNameOverride: {
              description: 'Model name sent to the provider instead',
              type: 'string',
              minLength: 1,
            },
            weight: {
              description: "Weight of this provider's backend (default 1)",
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
            priority: {
              description:
                '0 is tried first; higher numbers are fallbacks (default 0)',
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
            additionalBackends: {
              description:
                'Other AIServiceBackends for weighted splits or priority fallback',
              maxItems: 15,
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 253,
                    pattern:
                      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
                  },
                  namespace: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
                    description: 'Target namespace',
                  },
                  weight: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                  },
                  priority: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                  },
                  modelNameOverride: {
                    type: 'string',
                    minLength: 1,
                  },
                },
                required: ['name'],
              },
            },
          },
          required: ['name'],
        },
      },
      hostnames: {
        description: 'Host names the route answers',
        maxItems: 16,
        type: 'array',
        items: {
          type: 'string',
          maxLength: 253,
        },
      },
      timeouts: {
        type: 'object',
        properties: {
          request: {
            description: 'Whole request, including retries',
            type: 'string',
            pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
          },
          backendRequest: {
            description: 'One request to a backend',
            type: 'string',
            pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
          },
        },
        description: 'Gateway API timeouts',
      },
      llmRequestCosts: {
        description:
          'Token usage recorded as metadata; default input, output and total tokens',
        maxItems: 36,
        type: 'array',
        items: {
          type: 'object',
          properties: {
            metadataKey: {
              type: 'string',
              minLength: 1,
            },
            type: {
              type: 'string',
              enum: [
                'OutputToken',
                'InputToken',
                'CachedInputToken',
                'CacheCreationInputToken',
                'TotalToken',
                'ReasoningToken',
                'CEL',
              ],
            },
            cel: {
              type: 'string',
              minLength: 1,
            },
          },
          required: ['metadataKey', 'type'],
        },
      },
      hostname: {
        description:
          'Host of the OpenAI(-compatible) API; default api.openai.com',
        type: 'string',
        maxLength: 253,
      },
      credentials: {
        type: 'object',
        properties: {
          type: {
            type: 'string',
            const: 'apiKey',
          },
          apiKey: {
            type: 'string',
            minLength: 1,
            description: 'Write-only: stored in a Secret, never returned',
          },
        },
        required: ['type', 'apiKey'],
      },
    },
    required: [
      'provider',
      'name',
      'namespace',
      'entityRef',
      'parentGateway',
      'models',
      'credentials',
    ],
  },
  'aws-bedrock': {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      provider: {
        type: 'string',
        const: 'aws-bedrock',
      },
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 40,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Prefix of every object name in the bundle',
      },
      namespace: {
        type: 'string',
        minLength: 1,
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Target namespace',
      },
      entityRef: {
        type: 'string',
        minLength: 1,
        description: 'Owning catalog entity, e.g. component:default/my-service',
      },
      parentGateway: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
          namespace: {
            type: 'string',
            minLength: 1,
            maxLength: 63,
            pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            description: 'Target namespace',
          },
          sectionName: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
        },
        required: ['name'],
        description: 'The Gateway the route attaches to',
      },
      models: {
        minItems: 1,
        maxItems: 15,
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 4096,
              description: 'Value of the x-ai-eg-model header',
            },
            modelNameOverride: {
              description: 'Model name sent to the provider instead',
              type: 'string',
              minLength: 1,
            },
            weight: {
              description: "Weight of this provider's backend (default 1)",
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
            priority: {
              description:
                '0 is tried first; higher numbers are fallbacks (default 0)',
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
            additionalBackends: {
              description:
                'Other AIServiceBackends for weighted splits or priority fallback',
              maxItems: 15,
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 253,
                    pattern:
                      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
                  },
                  namespace: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
                    description: 'Target namespace',
                  },
                  weight: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                  },
                  priority: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                  },
                  modelNameOverride: {
                    type: 'string',
                    minLength: 1,
                  },
                },
                required: ['name'],
              },
            },
          },
          required: ['name'],
        },
      },
      hostnames: {
        description: 'Host names the route answers',
        maxItems: 16,
        type: 'array',
        items: {
          type: 'string',
          maxLength: 253,
        },
      },
      timeouts: {
        type: 'object',
        properties: {
          request: {
            description: 'Whole request, including retries',
            type: 'string',
            pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
          },
          backendRequest: {
            description: 'One request to a backend',
            type: 'string',
            pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
          },
        },
        description: 'Gateway API timeouts',
      },
      llmRequestCosts: {
        description:
          'Token usage recorded as metadata; default input, output and total tokens',
        maxItems: 36,
        type: 'array',
        items: {
          type: 'object',
          properties: {
            metadataKey: {
              type: 'string',
              minLength: 1,
            },
            type: {
              type: 'string',
              enum: [
                'OutputToken',
                'InputToken',
                'CachedInputToken',
                'CacheCreationInputToken',
                'TotalToken',
                'ReasoningToken',
                'CEL',
              ],
            },
            cel: {
              type: 'string',
              minLength: 1,
            },
          },
          required: ['metadataKey', 'type'],
        },
      },
      region: {
        type: 'string',
        pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d+$',
        description: 'AWS region of Bedrock',
      },
      credentials: {
        oneOf: [
          {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                const: 'accessKey',
              },
              accessKeyId: {
                type: 'string',
                minLength: 1,
                description: 'Write-only: stored in a Secret, never returned',
              },
              secretAccessKey: {
                type: 'string',
                minLength: 1,
                description: 'Write-only: stored in a Secret, never returned',
              },
              sessionToken: {
                type: 'string',
                minLength: 1,
                description: 'Write-only: stored in a Secret, never returned',
              },
            },
            required: ['type', 'accessKeyId', 'secretAccessKey'],
          },
          {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                const: 'oidc',
              },
              roleArn: {
                type: 'string',
                pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role\\/.+$',
              },
              oidc: {
                type: 'object',
                properties: {
                  issuer: {
                    type: 'string',
                    format: 'uri',
                    description: 'OIDC issuer URL',
                  },
                  clientId: {
                    type: 'string',
                    minLength: 1,
                  },
                  clientSecret: {
                    type: 'string',
                    minLength: 1,
                    description:
                      'Write-only: stored in a Secret, never returned',
                  },
                },
                required: ['issuer', 'clientId', 'clientSecret'],
              },
            },
            required: ['type', 'roleArn', 'oidc'],
          },
        ],
      },
    },
    required: [
      'provider',
      'name',
      'namespace',
      'entityRef',
      'parentGateway',
      'models',
      'region',
      'credentials',
    ],
  },
  httproute: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 40,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Prefix of every object name in the bundle',
      },
      namespace: {
        type: 'string',
        minLength: 1,
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Target namespace',
      },
      entityRef: {
        type: 'string',
        minLength: 1,
        description: 'Owning catalog entity, e.g. component:default/my-service',
      },
      parentGateway: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
          namespace: {
            type: 'string',
            minLength: 1,
            maxLength: 63,
            pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            description: 'Target namespace',
          },
          sectionName: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern:
              '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
          },
        },
        required: ['name'],
        description: 'The Gateway the route attaches to',
      },
      hostnames: {
        description: 'Host names; a leading *. wildcard is allowed',
        maxItems: 16,
        type: 'array',
        items: {
          type: 'string',
          maxLength: 253,
        },
      },
      rules: {
        minItems: 1,
        maxItems: 16,
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 63,
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            },
            matches: {
              description: 'Default: every request (PathPrefix /)',
              minItems: 1,
              maxItems: 64,
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  path: {
                    type: 'object',
                    properties: {
                      type: {
                        type: 'string',
                        enum: ['PathPrefix', 'Exact', 'RegularExpression'],
                      },
                      value: {
                        type: 'string',
                        minLength: 1,
                        maxLength: 1024,
                      },
                    },
                    required: ['value'],
                  },
                  method: {
                    type: 'string',
                    enum: [
                      'GET',
                      'HEAD',
                      'POST',
                      'PUT',
                      'DELETE',
                      'CONNECT',
                      'OPTIONS',
                      'TRACE',
                      'PATCH',
                    ],
                  },
                  headers: {
                    maxItems: 16,
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        name: {
                          type: 'string',
                          minLength: 1,
                          maxLength: 256,
                          pattern: "^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$",
                        },
                        value: {
                          type: 'string',
                          minLength: 1,
                          maxLength: 4096,
                        },
                        type: {
                          type: 'string',
                          enum: ['Exact', 'RegularExpression'],
                        },
                      },
                      required: ['name', 'value'],
                    },
                  },
                },
              },
            },
            backends: {
              minItems: 1,
              maxItems: 16,
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  serviceName: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
                  },
                  port: {
                    type: 'integer',
                    minimum: 1,
                    maximum: 65535,
                  },
                  namespace: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
                    description: 'Target namespace',
                  },
                  weight: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                  },
                },
                required: ['serviceName', 'port'],
              },
            },
            timeouts: {
              type: 'object',
              properties: {
                request: {
                  description: 'Whole request, including retries',
                  type: 'string',
                  pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
                },
                backendRequest: {
                  description: 'One request to a backend',
                  type: 'string',
                  pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
                },
              },
              description: 'Gateway API timeouts',
            },
          },
          required: ['backends'],
        },
      },
    },
    required: ['name', 'namespace', 'entityRef', 'parentGateway', 'rules'],
  },
};
