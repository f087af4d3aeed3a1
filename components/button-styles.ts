// The one look of a primary button, shared by form submits and the comparison page's actions.
export const PRIMARY_BUTTON = 'rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60 aria-disabled:opacity-60';
