// The booking flow's Flow JSON (Meta's format): APPOINTMENT asks the endpoint for free dates and a
// name, CONFIRM shows a summary; "Book" completes the flow through the endpoint.
export const BOOKING_FLOW_JSON = {
  version: '7.2',
  data_api_version: '3.0',
  routing_model: {
    APPOINTMENT: ['CONFIRM'],
    CONFIRM: [],
  },
  screens: [
    {
      id: 'APPOINTMENT',
      title: 'Book an appointment',
      data: {
        dates: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: {
                type: 'string',
              },
              title: {
                type: 'string',
              },
            },
          },
          __example__: [
            {
              id: '2026-12-02',
              title: 'Wed 2 Dec',
            },
          ],
        },
      },
      layout: {
        type: 'SingleColumnLayout',
        children: [
          {
            type: 'TextHeading',
            text: 'When would you like to come?',
          },
          {
            type: 'Dropdown',
            name: 'date',
            label: 'Date',
            required: true,
            'data-source': '${data.dates}',
          },
          {
            type: 'TextInput',
            name: 'name',
            label: 'Your name',
            required: true,
          },
          {
            type: 'Footer',
            label: 'Continue',
            'on-click-action': {
              name: 'data_exchange',
              payload: {
                date: '${form.date}',
                name: '${form.name}',
              },
            },
          },
        ],
      },
    },
    {
      id: 'CONFIRM',
      title: 'Confirm',
      terminal: true,
      data: {
        summary: {
          type: 'string',
          __example__: 'Ada, Wed 2 Dec',
        },
        date: {
          type: 'string',
          __example__: '2026-12-02',
        },
      },
      layout: {
        type: 'SingleColumnLayout',
        children: [
          {
            type: 'TextBody',
            text: '${data.summary}',
          },
          {
            type: 'Footer',
            label: 'Book',
            'on-click-action': {
              name: 'data_exchange',
              payload: {
                date: '${data.date}',
              },
            },
          },
        ],
      },
    },
  ],
};
